import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.ts';

const SMTP = { SMTP_URL: 'smtps://user:secret@smtp.example.org:465' };
const GOOGLE = {
  GOOGLE_CALENDAR_ID: 'programme@example.org',
  GOOGLE_SERVICE_ACCOUNT_JSON: '{"client_email":"k@example.org","private_key":"x"}',
};

function problems(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('the organizer of invitations', () => {
  it('is MAIL_FROM, name and address', () => {
    expect(parseConfig({ MAIL_FROM: 'רשת muni:STEM <team@munistem.org.il>' }).organizer).toEqual({
      name: 'רשת muni:STEM',
      email: 'team@munistem.org.il',
    });
    expect(parseConfig({ MAIL_FROM: 'team@munistem.org.il' }).organizer).toEqual({
      name: 'muni:STEM',
      email: 'team@munistem.org.il',
    });
    expect(parseConfig({ MAIL_FROM: '"muni:STEM, team" <Team@MuniSTEM.org.il>' }).organizer).toEqual({
      name: 'muni:STEM, team',
      email: 'team@munistem.org.il',
    });
  });

  it('may be localhost while nothing leaves the machine: no config at all still starts', () => {
    expect(parseConfig({}).organizer.email).toBe('no-reply@localhost');
    expect(problems(GOOGLE)).toEqual([]);
    expect(problems({ ...SMTP, ...GOOGLE })).toEqual([]);
  });

  it('is refused at localhost when invitations go out by e-mail (SMTP_URL without Google Calendar)', () => {
    const found = problems(SMTP);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^MAIL_FROM: /);
    expect(found[0]).toContain('SMTP_URL');
    expect(found[0]).toContain('GOOGLE_CALENDAR_ID');
    expect(problems({ ...SMTP, MAIL_FROM: 'kehila <no-reply@mail.localhost>' })).toHaveLength(1);
    expect(problems({ ...SMTP, MAIL_FROM: 'kehila <team@munistem.org.il>' })).toEqual([]);
  });

  it('must be an address at all', () => {
    expect(problems({ MAIL_FROM: 'muni:STEM team' })[0]).toMatch(/^MAIL_FROM: /);
  });

  it('is listed with every other problem at once', () => {
    const found = problems({ ...SMTP, PORT: 'not-a-port' });
    expect(found.some((p) => p.startsWith('PORT'))).toBe(true);
    expect(found.some((p) => p.startsWith('MAIL_FROM'))).toBe(true);
  });
});

describe('recovery after a worker dies', () => {
  it('has defaults that bring a dead worker’s jobs back within seconds and keep queued work alone', () => {
    const config = parseConfig({});
    expect(config.JOB_LOCK_MS).toBe(5000);
    expect(config.JOB_STALLED_CHECK_MS).toBe(2000);
    expect(config.JOB_MAX_STALLED).toBe(3);
    expect(config.STEP_LEASE_MS).toBe(60_000);
    expect(config.RECONCILE_EVERY_MS).toBe(15_000);
    expect(config.CALENDAR_LOCK_TTL_MS).toBe(5000);
  });

  it('refuses a lock too short to survive a busy moment, and a count that is not a number', () => {
    expect(problems({ JOB_LOCK_MS: '200' }).join()).toMatch(/^JOB_LOCK_MS:/);
    expect(problems({ JOB_MAX_STALLED: 'many' }).join()).toMatch(/^JOB_MAX_STALLED:/);
    expect(parseConfig({ JOB_LOCK_MS: '10000', CALENDAR_LOCK_TTL_MS: '8000' })).toMatchObject({
      JOB_LOCK_MS: 10_000,
      CALENDAR_LOCK_TTL_MS: 8000,
    });
  });
});
