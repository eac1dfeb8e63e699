import { describe, expect, it } from 'vitest';
import { newReference, parseReference, REFERENCE_ALPHABET } from '../../src/domain/reference.ts';

describe('references', () => {
  it('are a prefix, a dash and five unambiguous characters', () => {
    for (let i = 0; i < 500; i++) {
      const ref = newReference('LT27');
      expect(ref).toMatch(new RegExp(`^LT27-[${REFERENCE_ALPHABET}]{5}$`));
    }
  });

  it('never use characters that sound or look alike', () => {
    for (const c of '0O1IL5S2Z8BUV') expect(REFERENCE_ALPHABET).not.toContain(c);
  });

  it('draw every character with equal chance (rejection sampling)', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 4000; i++) {
      for (const c of newReference('X1').slice(3)) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    const expected = (4000 * 5) / REFERENCE_ALPHABET.length;
    for (const c of REFERENCE_ALPHABET) {
      expect(counts.get(c)).toBeGreaterThan(expected * 0.75);
      expect(counts.get(c)).toBeLessThan(expected * 1.25);
    }
  });

  it('are read back in any case, with spaces or without the dash', () => {
    expect(parseReference('lt27-7k4q9')).toBe('LT27-7K4Q9');
    expect(parseReference(' LT27 7K4Q9 ')).toBe('LT27-7K4Q9');
    expect(parseReference('LT277K4Q9')).toBe('LT27-7K4Q9');
    expect(parseReference('LT27-7K4Q0')).toBeNull();
    expect(parseReference('<script>')).toBeNull();
    expect(parseReference('')).toBeNull();
  });
});
