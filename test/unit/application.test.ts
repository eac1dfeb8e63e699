import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.ts';
import { formToInput, validateApplication } from '../../src/domain/application.ts';
import { cleanLine, cleanText } from '../../src/domain/text.ts';
import { loadWorkflows, WorkflowError } from '../../workflows/index.ts';
import { validBody } from '../helpers/app.ts';

const cohort = loadWorkflows().cohorts.get('leading-team-2027')!;
const validate = (overrides: Record<string, unknown>) => validateApplication(cohort, validBody(overrides));
const fieldsOf = (overrides: Record<string, unknown>) => {
  const r = validate(overrides);
  return r.ok ? {} : r.fields;
};

describe('normalisation', () => {
  it('folds a single line: NFC, controls and bidi overrides out, spaces folded, trimmed', () => {
    expect(cleanLine('  e\u0301  x\u0000y\u202Ez\u2066 \t\n w ')).toBe('é xyz w');
    expect(cleanLine('\uFEFFנועה')).toBe('נועה');
  });
  it('keeps newlines in free text but removes other controls', () => {
    expect(cleanText('line 1\r\nline 2\u0007\n\n\n\nline 3\u202E')).toBe('line 1\nline 2\n\nline 3');
  });
  it('replaces half a surrogate pair with U+FFFD and keeps whole pairs', () => {
    expect(cleanText('a\uD800b\uDC00c')).toBe('a\uFFFDb\uFFFDc');
    expect(cleanLine('\uDBFF')).toBe('\uFFFD');
    expect(cleanLine('שלום 😀')).toBe('שלום 😀');
  });
  it('normalises e-mail and Israeli mobiles in every spelling to E.164', () => {
    for (const phone of [
      '050-7234567',
      '0507234567',
      '+972 50 723 4567',
      '972-50-723-4567',
      '(050) 723-4567',
    ]) {
      const r = validate({ phone });
      expect(r.ok && r.value.phone).toBe('+972507234567');
    }
    const r = validate({ email: ' Noa@Example.ORG ' });
    expect(r.ok && r.value.email).toBe('noa@example.org');
  });
});

describe('the application schema', () => {
  it('refuses a landline, a bad e-mail and a missing consent with their codes', () => {
    expect(fieldsOf({ phone: '03-6123456', email: 'x@', consent: false })).toEqual({
      phone: 'invalid_phone',
      email: 'invalid_email',
      consent: 'consent_required',
    });
  });
  it('knows required, too short, too long and invalid choices', () => {
    expect(
      fieldsOf({
        fullName: '  ',
        roleTitle: 'x',
        motivation: 'מ'.repeat(5001),
        region: 'mars',
        topics: ['x'],
      }),
    ).toEqual({
      fullName: 'required',
      roleTitle: 'too_short',
      motivation: 'too_long',
      region: 'invalid_choice',
      topics: 'invalid_choice',
    });
    expect(validate({ motivation: 'מ'.repeat(5000) }).ok).toBe(true);
  });
  it('refuses unknown keys, including status, id and __proto__', () => {
    const body = JSON.parse(
      `{"__proto__":1,${JSON.stringify(validBody({ status: 'accepted', id: '1' })).slice(1)}`,
    );
    const r = validateApplication(cohort, body);
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.fields).toMatchObject({
        __proto__: 'unknown_field',
        status: 'unknown_field',
        id: 'unknown_field',
      });
  });
  it('turns a form post into the JSON shape', () => {
    expect(formToInput({ topics: 'data', confirmedMeetings: ['a', 'b'], consent: 'yes' })).toMatchObject({
      topics: ['data'],
      confirmedMeetings: ['a', 'b'],
      consent: true,
      fullName: '',
    });
    expect(formToInput({}).consent).toBe(false);
  });
  it('de-duplicates repeated choices', () => {
    const r = validate({ topics: ['data', 'data', 'ai'] });
    expect(r.ok && r.value.topics).toEqual(['data', 'ai']);
  });
});

describe('configuration', () => {
  it('lists every problem at once and treats empty strings as unset', () => {
    try {
      parseConfig({
        PORT: 'abc',
        ADMIN_TOKEN: 'short',
        SLACK_BOT_TOKEN: 'xoxb-1',
        DATABASE_URL: 'mysql://x',
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      for (const name of ['PORT', 'ADMIN_TOKEN', 'DATABASE_URL', 'SLACK_SIGNING_SECRET'])
        expect(problems).toContain(name);
    }
    const config = parseConfig({ ADMIN_TOKEN: '', PORT: '' });
    expect(config.ADMIN_TOKEN).toBeUndefined();
    expect(config.PORT).toBe(3000);
    expect(config.publicUrl).toBe('http://localhost:3000');
  });
});

describe('workflow definitions', () => {
  it('ships the leading team with five meetings', () => {
    expect(cohort.meetings.map((m) => m.start.slice(0, 10))).toEqual([
      '2027-03-11',
      '2027-03-28',
      '2027-04-15',
      '2027-05-23',
      '2027-06-23',
    ]);
  });
  it('merges deployment settings and names the bad path precisely', () => {
    const merged = loadWorkflows({ cohorts: { 'leading-team-2027': { review: { channel: 'CREVIEW1' } } } });
    expect(merged.cohorts.get('leading-team-2027')?.review.channel).toBe('CREVIEW1');
    expect(merged.cohorts.get('leading-team-2027')?.meetings).toHaveLength(5);
    expect(() => loadWorkflows({ cohorts: { 'leading-team-2027': { meetings: [{ id: 'x' }] } } })).toThrow(
      /leading-team-2027\.meetings\.0\.(title|start)/,
    );
    expect(() => loadWorkflows({ cohorts: { ghost: {} } })).toThrow(WorkflowError);
    expect(() =>
      loadWorkflows({ cohorts: { 'leading-team-2027': { review: { channel: 'not-a-channel' } } } }),
    ).toThrow(/review\.channel/);
  });
});
