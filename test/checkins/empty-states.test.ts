import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryMailer } from '../../integrations/mail/index.ts';
import { nextPromptAt } from '../../src/checkins/overview.ts';
import { parseConfig } from '../../src/config.ts';
import { CheckinsPage } from '../../src/pages/admin/checkins.tsx';
import { type RunningService, startService } from '../../src/service.ts';
import { loadWorkflows } from '../../workflows/index.ts';
import { randomPrefix, TEST_REDIS_URL } from '../helpers/backends.ts';
import { staffCookie } from '../helpers/staff.ts';

const ORIGIN = 'http://localhost:3000';
const PROGRAMME = 'negev-partnership';
// A Wednesday in Israel: the week's prompt (Sunday 09:00) has gone, so the next is on 6 December.
const NOW = new Date('2026-12-02T10:00:00Z');
const settings = (extra: Record<string, unknown> = {}) => ({
  programmes: {
    [PROGRAMME]: {
      leadershipChannel: 'CLEADERS',
      actionLines: [
        { id: 'math', name: 'מצוינות במתמטיקה', leads: ['ULEAD1', 'ULEAD2'] },
        { id: 'girls', name: 'בנות במדע', leads: ['ULEAD3'] },
      ],
      ...extra,
    },
  },
  staff: [{ name: 'צופה', email: 'viewer@example.org', roles: ['viewer'] }],
});
const programmeWith = (extra: Record<string, unknown> = {}) =>
  loadWorkflows(settings(extra)).programmes.get(PROGRAMME)!;

describe('when the first prompt goes', () => {
  it('is the next Sunday at the programme time, past a week the programme pauses', () => {
    expect(nextPromptAt(programmeWith(), NOW)?.toISOString()).toBe('2026-12-06T07:00:00.000Z');
    const paused = programmeWith({ pauses: [{ from: '2026-12-06', to: '2026-12-08', reason: 'כנס' }] });
    expect(nextPromptAt(paused, NOW)?.toISOString()).toBe('2026-12-13T07:00:00.000Z');
  });

  it('is none when a year of weeks is paused', () => {
    const away = programmeWith({ pauses: [{ from: '2026-12-01', to: '2028-01-31' }] });
    expect(nextPromptAt(away, NOW)).toBeNull();
  });
});

describe('the check-ins page explains each empty state', () => {
  let service: RunningService;
  let dir: string;
  const clock = () => NOW;
  const page = async (path = '/admin/checkins') => {
    const cookie = await staffCookie(
      service.app!,
      { db: service.database.db, clock },
      'email:viewer@example.org',
    );
    const res = await service.app!.request(`${ORIGIN}${path}`, { headers: { cookie } });
    expect(res.status).toBe(200);
    return res.text();
  };
  const round = (week: string, status: string, skip: string | null = null) =>
    service.database.db
      .insertInto('checkin_rounds')
      .values({
        id: crypto.randomUUID(),
        programme: PROGRAMME,
        week,
        status,
        skip_reason: skip,
        opened_at: NOW,
        closes_at: new Date(NOW.getTime() + 86_400_000),
      })
      .execute();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kehila-checkins-empty-'));
    service = await startService({
      config: parseConfig({ PORT: '0', DATA_DIR: dir, REDIS_URL: TEST_REDIS_URL }),
      logger: pino({ level: 'silent' }),
      settings: settings(),
      role: 'web',
      clock,
      overrides: { mail: memoryMailer(), redisPrefix: randomPrefix('cie') },
    });
  });
  afterAll(async () => {
    for (const q of Object.values(service.pipeline.queues.queues))
      await q.obliterate({ force: true }).catch(() => {});
    await service.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('with no programme configured, says where one is configured', async () => {
    const html = String(await CheckinsPage({ programmes: [] }));
    expect(html).toContain('עדיין לא הוגדרו תוכניות של עדכונים שבועיים');
    expect(html).toContain('<code dir="ltr">workflows/checkins</code>');
    expect(html).toContain('<code dir="ltr">KEHILA_SETTINGS</code>');
    expect(html).not.toContain('<table');
  });

  it('with no round yet, says when the first prompt goes, in Israel time', async () => {
    const html = await page();
    expect(html).toContain(
      'עוד לא נשלח סבב עדכונים. הפנייה הראשונה למובילי כיווני הפעולה תישלח ביום ראשון, ',
    );
    expect(html).toContain('<time dir="ltr" datetime="2026-12-06T07:00:00.000Z">06.12.2026 09:00</time>');
    expect(html).not.toContain('<table');
  });

  it('with a paused line, says until when its prompts are paused, and how many leads of a line paused', async () => {
    await service.database.db
      .insertInto('lead_pauses')
      .values([
        { lead: 'ULEAD3', until: '2027-01-20', reason: null, created_at: NOW },
        { lead: 'ULEAD1', until: '2027-01-10', reason: null, created_at: NOW },
        // A pause that has ended counts for nothing.
        { lead: 'ULEAD2', until: '2026-11-30', reason: null, created_at: NOW },
      ])
      .execute();
    const html = await page();
    expect(html).toContain('בנות במדע</a> (הפניות מושהות עד <span dir="ltr">20.01.2027</span>)');
    expect(html).toContain('מצוינות במתמטיקה</a> (1 מתוך 2 המובילים השהו את הפניות)');
    const line = await page('/admin/checkins?line=girls');
    expect(line).toContain('המובילים השהו את הפניות עד <span dir="ltr">20.01.2027</span>');
    expect(line).toContain('עוד לא התקבלו עדכונים בכיוון הפעולה הזה.');
  });

  it('with rounds that have no answers, says so for an open, a closed and a skipped round', async () => {
    await round('2026-11-29', 'open');
    await round('2026-11-22', 'closed');
    await round('2026-11-15', 'skipped', 'holiday');
    const html = await page();
    expect(html).toContain('עוד לא התקבלו עדכונים בסבב הזה. מי שלא יענו יקבלו תזכורת.');
    expect(html).toContain('לא התקבלו עדכונים בסבב הזה.');
    expect(html).toContain('בשבוע הזה לא נשלחה פנייה.');
    expect(html).toContain('<span dir="ltr">29.11.2026</span>');
    expect(html).not.toContain('הפנייה הראשונה');
  });
});
