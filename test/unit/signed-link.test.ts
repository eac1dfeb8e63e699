import { describe, expect, it } from 'vitest';
import { signLink, verifyLink } from '../../src/domain/signed-link.ts';
import { formTokens } from '../../src/http/form-token.ts';

const SECRET = 'a-test-secret-of-enough-length';
const NOW = new Date('2026-12-01T08:00:00Z');
const IN_30_DAYS = new Date(NOW.getTime() + 30 * 86_400_000);
const ID = '0b9d1c2e-3f40-4a5b-8c6d-7e8f90a1b2c3';

describe('signed single-purpose links', () => {
  it('give back their subject, for their purpose, until they expire', async () => {
    const token = await signLink(SECRET, 'my-application', ID, IN_30_DAYS);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[0-9a-z]+\.[A-Za-z0-9_-]{43}$/);
    expect(await verifyLink(SECRET, 'my-application', token, NOW)).toEqual({ subject: ID });
    expect(await verifyLink(SECRET, 'my-application', token, new Date(IN_30_DAYS.getTime() - 1000))).toEqual({
      subject: ID,
    });
    expect(await verifyLink(SECRET, 'my-application', token, IN_30_DAYS)).toBe('expired');
  });

  it('carry any text as subject, URL-safe', async () => {
    const subject = 'מחזור/2027?&=';
    const token = await signLink(SECRET, 'draft', subject, IN_30_DAYS);
    expect(encodeURIComponent(token)).toBe(token);
    expect(await verifyLink(SECRET, 'draft', token, NOW)).toEqual({ subject });
  });

  it('refuse another purpose, another secret, and every changed character', async () => {
    const token = await signLink(SECRET, 'my-application', ID, IN_30_DAYS);
    expect(await verifyLink(SECRET, 'draft', token, NOW)).toBe('invalid');
    expect(await verifyLink(`${SECRET}!`, 'my-application', token, NOW)).toBe('invalid');
    for (let i = 0; i < token.length; i++) {
      const c = token[i] === 'A' ? 'B' : 'A';
      const changed = `${token.slice(0, i)}${c}${token.slice(i + 1)}`;
      expect(await verifyLink(SECRET, 'my-application', changed, NOW), `position ${i}`).not.toEqual({
        subject: ID,
      });
    }
  });

  it('refuse a token whose expiry was pushed later, as invalid rather than expired', async () => {
    const token = await signLink(SECRET, 'my-application', ID, NOW);
    const [subject, expiry, mac] = token.split('.');
    const later = (Number.parseInt(expiry ?? '', 36) + 86_400 * 365).toString(36);
    const pushed = `${subject}.${later}.${mac}`;
    expect(await verifyLink(SECRET, 'my-application', pushed, NOW)).toBe('invalid');
    expect(await verifyLink(SECRET, 'my-application', token, new Date(NOW.getTime() + 1000))).toBe('expired');
  });

  it('refuse what is not a link: nothing, junk, a form token signed with the same secret', async () => {
    for (const junk of [undefined, '', '...', 'a.b', 'a.b.c.d', '%%%.1.abc', 'x'.repeat(5000)]) {
      expect(await verifyLink(SECRET, 'my-application', junk, NOW)).toBe('invalid');
    }
    const formToken = await formTokens(SECRET).issue(ID, NOW.getTime());
    expect(await verifyLink(SECRET, 'my-application', formToken, NOW)).toBe('invalid');
  });

  it('name purposes as lowercase words only', async () => {
    await expect(signLink(SECRET, 'my application', ID, IN_30_DAYS)).rejects.toThrow(TypeError);
    await expect(verifyLink(SECRET, '', 'x.y.z', NOW)).rejects.toThrow(TypeError);
  });
});
