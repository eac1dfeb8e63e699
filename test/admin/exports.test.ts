import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryMailer } from '../../integrations/mail/index.ts';
import { parseConfig } from '../../src/config.ts';
import { type RunningService, startService } from '../../src/service.ts';
import { addEvent } from '../../src/storage/transition.ts';
import { createdBody, submitApplication } from '../../src/usecases/submit-application.ts';
import { loadWorkflows } from '../../workflows/index.ts';
import { validBody } from '../helpers/app.ts';
import { randomPrefix, TEST_REDIS_URL } from '../helpers/backends.ts';
import { reviewSettings } from '../helpers/pipeline.ts';
import { staffCookie } from '../helpers/staff.ts';

const ORIGIN = 'http://localhost:3000';
const SETTINGS = {
  ...reviewSettings(),
  staff: [
    { name: 'צופה', email: 'viewer@example.org', roles: ['viewer'] },
    { name: 'ממיינת', email: 'reviewer@example.org', roles: ['reviewer'] },
    { name: 'מתאמת', email: 'coord@example.org', roles: ['coordinator'] },
  ],
};
const NEEDS = 'כיסא גלגלים ותרגום לשפת הסימנים במפגש הפתיחה';
const COHORT = 'הצוות המוביל של רשת muni:STEM — מחזור 2027';
const MOTIVATION = 'לחבר בין בתי הספר בנגב, ובין "המדע" לקהילה';

/** RFC 4180: quoted fields may hold commas, doubled quotes and line breaks; records end in CRLF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  if (cell || row.length) throw new Error('the last record does not end in CRLF');
  return rows;
}

/** The CSV's records as objects by header, after checking the BOM. */
async function records(res: Response): Promise<Record<string, string>[]> {
  const bytes = new Uint8Array(await res.arrayBuffer());
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const [header = [], ...rows] = parseCsv(new TextDecoder().decode(bytes.slice(3)));
  for (const r of rows) expect(r).toHaveLength(header.length);
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}

describe('the dashboard exports', () => {
  let service: RunningService;
  let dir: string;
  let withNeeds = '';
  const ctx = () => ({ db: service.database.db, clock: () => new Date() });
  const get = (path: string, cookie: string) =>
    service.app!.request(`${ORIGIN}${path}`, { headers: { cookie } });
  const as = (who: string) => staffCookie(service.app!, ctx(), who);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kehila-exports-'));
    service = await startService({
      config: parseConfig({ PORT: '0', DATA_DIR: dir, REDIS_URL: TEST_REDIS_URL }),
      logger: pino({ level: 'silent' }),
      settings: SETTINGS,
      role: 'web',
      overrides: { mail: memoryMailer(), redisPrefix: randomPrefix('exp') },
    });
    const workflows = loadWorkflows(SETTINGS);
    const submit = (at: string, body: Record<string, unknown>) =>
      submitApplication(
        { db: service.database.db, workflows, clock: () => new Date(at) },
        { cohortId: 'leading-team-2027', source: 'api', body: validBody(body) },
      );
    withNeeds = createdBody(
      await submit('2027-01-05T12:30:00Z', {
        email: 'needs@example.org',
        motivation: MOTIVATION,
        accessibilityNeeds: NEEDS,
        topics: ['data'],
        confirmedMeetings: ['opening-day', 'online-1'],
      }),
    ).id;
    await submit('2027-07-01T06:05:00Z', {
      email: 'plain@example.org',
      fullName: 'סאמר חורי',
      phone: '052-5551234',
    });
    await service.database.db
      .updateTable('applications')
      .set({ flags: JSON.stringify(['possible_duplicate', 'conflict_of_interest']) as never })
      .where('id', '=', withNeeds)
      .execute();
    await addEvent(service.database.db, withNeeds, 'system', 'step_done', { step: 'calendar' }, new Date());
  });
  afterAll(async () => {
    for (const q of Object.values(service.pipeline.queues.queues))
      await q.obliterate({ force: true }).catch(() => {});
    await service.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('exports the applications for Excel: Hebrew headers and labels, Israel time, phones as text, no accessibility needs', async () => {
    const res = await get('/admin/export.csv', await as('email:coord@example.org'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const raw = await res.clone().text();
    expect(raw).toContain('\r\n');
    expect(raw).not.toMatch(/E\+\d/);
    expect(raw).not.toContain(NEEDS);
    const rows = await records(res);
    const header = Object.keys(rows[0] ?? {});
    expect(header).toEqual([
      'אסמכתה',
      'מחזור',
      'סטטוס',
      'שם מלא',
      'דוא״ל',
      'טלפון',
      'ארגון',
      'תפקיד',
      'סוג ארגון',
      'אזור',
      'נושאים',
      'מפגשים שאושרו',
      'סימונים',
      'מוטיבציה',
      'הוגשה',
    ]);
    const row = rows.find((r) => r['דוא״ל'] === 'needs@example.org');
    expect(row).toMatchObject({
      מחזור: COHORT,
      סטטוס: 'הוגשה',
      טלפון: '050-723-4567',
      'סוג ארגון': 'רשות מקומית',
      אזור: 'דרום',
      נושאים: 'נתונים ומדידה',
      'מפגשים שאושרו': 'מפגש פתיחה — יום מלא; מפגש מקוון ראשון',
      מוטיבציה: MOTIVATION,
      סימונים: 'ייתכן כפל הרשמה; ניגוד עניינים',
      // 12:30 UTC is 14:30 in Israel in winter, and 06:05 UTC 09:05 in summer.
      הוגשה: '2027-01-05 14:30',
    });
    const other = rows.find((r) => r['דוא״ל'] === 'plain@example.org');
    expect(other).toMatchObject({ טלפון: '052-555-1234', הוגשה: '2027-07-01 09:05' });
    expect(Object.values(row ?? {}).join()).not.toMatch(/leading-team-2027|local-authority|submitted/);
  });

  it('keeps the accessibility needs to an export of their own, for coordinators only', async () => {
    for (const who of ['email:viewer@example.org', 'email:reviewer@example.org']) {
      const res = await get('/admin/export-accessibility.csv', await as(who));
      expect(res.status, who).toBe(403);
      expect(await res.text()).not.toContain(NEEDS);
    }
    const res = await get('/admin/export-accessibility.csv', await as('email:coord@example.org'));
    expect(res.status).toBe(200);
    const rows = await records(res);
    expect(rows).toEqual([
      {
        אסמכתה: expect.stringMatching(/^[A-Z0-9-]+$/) as unknown as string,
        'שם מלא': 'נועה כהן',
        'דוא״ל': 'needs@example.org',
        טלפון: '050-723-4567',
        מחזור: COHORT,
        סטטוס: 'הוגשה',
        'מפגשים שאושרו': 'מפגש פתיחה — יום מלא; מפגש מקוון ראשון',
        'התאמות נגישות נדרשות': NEEDS,
      },
    ]);
    expect(rows.some((r) => r['דוא״ל'] === 'plain@example.org')).toBe(false);
  });

  it('exports a programme’s check-in history with Hebrew statuses and Israel times', async () => {
    const db = service.database.db;
    const roundId = randomUUID();
    await db
      .insertInto('checkin_rounds')
      .values({
        id: roundId,
        programme: 'negev-partnership',
        week: '2027-W02',
        status: 'closed',
        skip_reason: null,
        opened_at: new Date('2027-01-10T07:00:00Z'),
        closes_at: new Date('2027-01-12T16:00:00Z'),
        reminded_at: null,
        closed_at: new Date('2027-01-12T16:00:00Z'),
        digest_channel: null,
        digest_ts: null,
      })
      .execute();
    await db
      .insertInto('checkin_answers')
      .values({
        round_id: roundId,
        action_line: 'math-excellence',
        lead: 'ULEAD0001',
        progress: 'שלושה בתי ספר הצטרפו',
        next_steps: '=SUM(A1)',
        blockers: '',
        status: 'yellow',
        help_needed: 'תקציב',
        submitted_at: new Date('2027-01-11T09:15:00Z'),
        updated_at: new Date('2027-01-11T10:00:00Z'),
      })
      .execute();
    const viewer = await as('email:viewer@example.org');
    expect((await get('/admin/checkins/no-such-programme/export.csv', viewer)).status).toBe(404);
    const res = await get('/admin/checkins/negev-partnership/export.csv', viewer);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('kehila-checkins-negev-partnership.csv');
    const rows = await records(res);
    expect(rows).toEqual([
      {
        שבוע: '2027-W02',
        'מצב הסבב': 'נסגר',
        'כיוון פעולה': 'מצוינות במתמטיקה',
        'הובלה (מזהה Slack)': 'ULEAD0001',
        סטטוס: 'דורש תשומת לב',
        התקדמות: 'שלושה בתי ספר הצטרפו',
        'צעדים הבאים': "'=SUM(A1)",
        חסמים: '',
        'עזרה נדרשת': 'תקציב',
        נשלח: '2027-01-11 11:15',
        עודכן: '2027-01-11 12:00',
      },
    ]);
    const page = await (await get('/admin/checkins', viewer)).text();
    expect(page).toContain('href="/admin/checkins/negev-partnership/export.csv"');
    expect(page).toContain('הורדת היסטוריית העדכונים של');
    expect(page).toContain('<td>נסגר</td>');
  });

  it('writes every export to the audit log with its filters, in the same request', async () => {
    const db = service.database.db;
    const cookie = await as('email:coord@example.org');
    // The log is append-only: this test reads what its own requests add.
    const before = (await db.selectFrom('audit_log').select('id').execute()).map((r) => r.id);
    const paths = [
      '/admin/export.csv?cohort=leading-team-2027&status=submitted',
      '/admin/export-accessibility.csv?cohort=leading-team-2027',
      '/admin/checkins/negev-partnership/export.csv',
    ];
    for (const path of paths) expect((await get(path, cookie)).status, path).toBe(200);
    const audits = (
      await db.selectFrom('audit_log').select(['id', 'actor', 'action', 'detail']).orderBy('id').execute()
    )
      .filter((r) => !before.includes(r.id))
      .map(({ id: _, ...r }) => r);
    expect(audits).toEqual([
      {
        actor: 'coord@example.org',
        action: 'export_csv',
        detail: { cohort: 'leading-team-2027', status: 'submitted' },
      },
      {
        actor: 'coord@example.org',
        action: 'export_accessibility_csv',
        detail: { cohort: 'leading-team-2027', status: null },
      },
      {
        actor: 'coord@example.org',
        action: 'export_checkins_csv',
        detail: { programme: 'negev-partnership' },
      },
    ]);
  });

  it('links the exports from the board for coordinators, with the filter chosen', async () => {
    const board = await (
      await get('/admin?cohort=leading-team-2027', await as('email:coord@example.org'))
    ).text();
    expect(board).toContain('href="/admin/export.csv?cohort=leading-team-2027"');
    expect(board).toContain('href="/admin/export-accessibility.csv?cohort=leading-team-2027"');
    expect(board).toContain('הורדת הבקשות (CSV)');
    const viewerBoard = await (await get('/admin', await as('email:viewer@example.org'))).text();
    expect(viewerBoard).not.toContain('export-accessibility.csv');
  });

  it('tells the timeline in Hebrew, with who acted', async () => {
    const page = await (
      await get(`/admin/applications/${withNeeds}`, await as('email:viewer@example.org'))
    ).text();
    expect(page).toContain('הבקשה הוגשה (הפונה)');
    expect(page).toContain('שלב הושלם: זימונים ליומן (המערכת)');
    expect(page).not.toMatch(/step_done|\(applicant\)|\(system\)/);
  });
});
