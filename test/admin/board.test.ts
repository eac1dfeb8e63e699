import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryMailer } from '../../integrations/mail/index.ts';
import { parseConfig } from '../../src/config.ts';
import { type RunningService, startService } from '../../src/service.ts';
import { loadWorkflows } from '../../workflows/index.ts';
import { randomPrefix, TEST_REDIS_URL } from '../helpers/backends.ts';
import { seedBoard } from '../helpers/board-fixtures.ts';
import { reviewSettings } from '../helpers/pipeline.ts';
import { staffCookie } from '../helpers/staff.ts';

const TOKEN = 'admin-token-for-the-board-0123456789';
const HEADINGS = [
  'התקבלו במערכת',
  'במיון',
  'אושרו, לפני הקליטה',
  'בקליטה',
  'הקליטה הושלמה',
  'ברשימת המתנה',
  'לא אושרו',
  'בוטלו',
];

/** The board's columns as the page shows them: each heading with its count, in order. */
const columnsOf = (html: string) =>
  [...html.matchAll(/<h2 id="stage-[a-z_]+">([^<]+) <span class="count">\((\d+)\)<\/span><\/h2>/g)].map(
    (m) => `${m[1]} ${m[2]}`,
  );

describe('the board, and the admin API reading through the same queries', () => {
  let service: RunningService;
  let dir: string;
  let ids: Record<string, string> = {};
  let cookie = '';
  const page = async (path: string, who = cookie) =>
    service.app!.request(path, { headers: { cookie: who, accept: 'text/html' } });
  const api = (path: string) => service.app!.request(path, { headers: { authorization: `Bearer ${TOKEN}` } });
  const audits = () =>
    service.database.db.selectFrom('audit_log').select(['actor', 'action', 'target']).orderBy('id').execute();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kehila-board-'));
    service = await startService({
      config: parseConfig({ PORT: '0', DATA_DIR: dir, REDIS_URL: TEST_REDIS_URL, ADMIN_TOKEN: TOKEN }),
      logger: pino({ level: 'silent' }),
      settings: reviewSettings(),
      role: 'web',
      overrides: { mail: memoryMailer(), redisPrefix: randomPrefix('brd') },
    });
    const clock = () => new Date();
    ids = await seedBoard(service.database.db, loadWorkflows(reviewSettings()), clock, 'html');
    cookie = await staffCookie(service.app!, { db: service.database.db, clock });
  });
  afterAll(async () => {
    for (const q of Object.values(service.pipeline.queues.queues))
      await q.obliterate({ force: true }).catch(() => {});
    await service.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('shows every stage as a column, in order, with its count, its cards and what each column needs', async () => {
    const res = await page('/admin');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<html lang="he" dir="rtl">');
    expect(columnsOf(html)).toEqual(HEADINGS.map((h, i) => `${h} ${[1, 2, 1, 1, 0, 1, 0, 1][i]}`));
    // The two empty columns say so.
    expect(html.match(/אין בקשות בשלב הזה\./g)).toHaveLength(2);
    for (const id of Object.values(ids)) expect(html).toContain(`href="/admin/applications/${id}"`);
    expect(html).toContain('קולות: 1 מתוך 2 הנדרשים לקבלה');
    expect(html).toContain('קולות: 0 מתוך 2 הנדרשים לקבלה');
    expect(html).toContain('<li class="badge warn">עבר מועד ההחלטה</li>');
    // Avi reviews from the overdue applicant's own municipality.
    expect(html).toContain('<li class="badge warn">ניגוד עניינים</li>');
    expect(html).toContain('<li class="badge error">נכשל: זימונים ליומן</li>');
    expect(html).toMatch(/מועד ההחלטה: <span dir="ltr">[^<]+<\/span>/);
    expect(html).toContain('<bdi>אורי לוי</bdi>');
  });

  it('filters as a GET form: search, cohort, stage, flag, failed step, deadline passed and my vote missing', async () => {
    const html = await (await page('/admin')).text();
    expect(html).toContain('<form method="get" action="/admin" class="filters"');
    for (const name of ['q', 'cohort', 'status', 'flag', 'failedStep', 'deadlinePassed', 'myVoteMissing'])
      expect(html, name).toContain(`name="${name}"`);
    const counts = async (query: string, who = cookie) =>
      columnsOf(await (await page(`/admin?${query}`, who)).text()).map((c) => Number(c.split(' ').at(-1)));
    expect(await counts('failedStep=calendar')).toEqual([0, 0, 0, 1, 0, 0, 0, 0]);
    expect(await counts('failedStep=any&cohort=leading-team-2027')).toEqual([0, 0, 0, 1, 0, 0, 0, 0]);
    expect(await counts('deadlinePassed=1')).toEqual([0, 1, 0, 0, 0, 0, 0, 0]);
    expect(await counts(`q=${encodeURIComponent('סמיר')}`)).toEqual([0, 1, 0, 0, 0, 0, 0, 0]);
    expect(await counts('cohort=another-cohort')).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    // Rina voted on the overdue one; Dana has voted on neither; the console coordinator reviews nothing.
    const clock = () => new Date();
    const rina = await staffCookie(service.app!, { db: service.database.db, clock }, 'slack:URINA0001');
    const dana = await staffCookie(
      service.app!,
      { db: service.database.db, clock },
      'email:dana@example.org',
    );
    expect(await counts('myVoteMissing=1', rina)).toEqual([0, 1, 0, 0, 0, 0, 0, 0]);
    expect(await counts('myVoteMissing=1', dana)).toEqual([0, 2, 0, 0, 0, 0, 0, 0]);
    expect(await counts('myVoteMissing=1')).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    const checked = await (await page('/admin?myVoteMissing=1&failedStep=any')).text();
    expect(checked).toMatch(/name="myVoteMissing" value="1" checked/);
    expect(checked).toContain('<option value="any" selected="">');
    // A chosen cohort links to its own page.
    expect(await (await page('/admin?cohort=leading-team-2027')).text()).toContain(
      'href="/admin/cohorts/leading-team-2027"',
    );
    // A value the filter does not know is refused with its field named, not ignored and not a 500.
    const bad = await service.app!.request('/admin?failedStep=everything&deadlinePassed=maybe', {
      headers: { cookie },
    });
    expect(bad.status).toBe(400);
    const body = await bad.text();
    expect(body).toContain('failedStep');
    expect(body).toContain('deadlinePassed');
  });

  it('pages through one stage as a list, and says when nothing matches', async () => {
    const html = await (await page('/admin?status=in_review')).text();
    expect(html).toContain('<h1>בקשות: במיון</h1>');
    expect(html).toContain(`href="/admin/applications/${ids.overdue}"`);
    expect(html).toContain(`href="/admin/applications/${ids.reviewing}"`);
    expect(html).not.toContain(`href="/admin/applications/${ids.fresh}"`);
    expect(html).toContain('href="/admin"');
    const none = await (await page(`/admin?status=declined`)).text();
    expect(none).toContain('אין בקשות שמתאימות לסינון.');
  });

  it('audits the dashboard board and the API list and detail under their own actors', async () => {
    const before = (await audits()).length;
    await page('/admin');
    const list = await api('/admin/api/applications?status=in_review');
    expect(list.status).toBe(200);
    const listed = (await list.json()) as { applications: { id: string }[] };
    expect(listed.applications.map((a) => a.id).sort()).toEqual([ids.overdue, ids.reviewing].sort());
    const failed = (await (await api('/admin/api/applications?failedStep=calendar')).json()) as {
      applications: { id: string }[];
    };
    expect(failed.applications.map((a) => a.id)).toEqual([ids.onboarding]);
    const one = await api(`/admin/api/applications/${ids.overdue}`);
    expect(one.status).toBe(200);
    expect(((await one.json()) as { votes: unknown[] }).votes).toHaveLength(1);
    expect((await api('/admin/api/applications/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await audits()).slice(before)).toEqual([
      { actor: 'console', action: 'view_board', target: null },
      { actor: 'api-token', action: 'list_applications', target: null },
      { actor: 'api-token', action: 'list_applications', target: null },
      { actor: 'api-token', action: 'view_application', target: ids.overdue },
    ]);
  });
});
