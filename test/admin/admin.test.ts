import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryMailer } from '../../integrations/mail/index.ts';
import { noCalendar, noSlack } from '../../integrations/noop.ts';
import { parseConfig } from '../../src/config.ts';
import { csvCell } from '../../src/domain/csv.ts';
import { type RunningService, startService } from '../../src/service.ts';
import { applyRetention, eraseApplication, exportPerson } from '../../src/usecases/privacy.ts';
import { decide } from '../../src/usecases/review.ts';
import { createdBody, submitApplication } from '../../src/usecases/submit-application.ts';
import { validBody } from '../helpers/app.ts';
import { backends, eventually, randomPrefix, TEST_REDIS_URL } from '../helpers/backends.ts';
import { recordingCalendar, recordingCards, recordingSlack } from '../helpers/fakes.ts';
import { reviewSettings, startTestPipeline } from '../helpers/pipeline.ts';
import { staffCookie } from '../helpers/staff.ts';

const TOKEN = 'admin-token-for-tests-0123456789';
const XSS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '<!channel>',
  'javascript:alert(1)',
];
let auth: Record<string, string> = {};

describe('the staff dashboard', () => {
  let service: RunningService;
  let dir: string;
  let id = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kehila-admin-'));
    service = await startService({
      config: parseConfig({
        PORT: '0',
        DATA_DIR: dir,
        REDIS_URL: TEST_REDIS_URL,
        ADMIN_TOKEN: TOKEN,
        // The walk below sends every route a wrong token from one address; the limits have their own tests.
        WRONG_TOKENS_PER_ADDRESS: '10000',
        SIGNIN_ATTEMPTS_PER_ADDRESS: '10000',
      }),
      logger: pino({ level: 'silent' }),
      settings: reviewSettings(),
      role: 'web',
      overrides: { mail: memoryMailer(), redisPrefix: randomPrefix('adm') },
    });
    const workflows = (await import('../../workflows/index.ts')).loadWorkflows(reviewSettings());
    const body = createdBody(
      await submitApplication(
        { db: service.database.db, workflows, clock: () => new Date() },
        {
          cohortId: 'leading-team-2027',
          source: 'api',
          body: validBody({
            fullName: `${XSS[0]} ${XSS[1]}`,
            organisation: XSS.join(' '),
            roleTitle: '=HYPERLINK("http://evil","x")',
            motivation: `${XSS.join(' ')} `.repeat(3),
            accessibilityNeeds: XSS[1],
          }),
        },
      ),
    );
    id = body.id;
    auth = {
      cookie: await staffCookie(service.app!, { db: service.database.db, clock: () => new Date() }),
      accept: 'text/html',
    };
  });
  afterAll(async () => {
    for (const q of Object.values(service.pipeline.queues.queues))
      await q.obliterate({ force: true }).catch(() => {});
    await service.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses every admin route without credentials (walking all registered routes)', async () => {
    const app = service.app!;
    const routes = app.routes.filter((r) => /^\/(admin|metrics)/.test(r.path) && r.method !== 'ALL');
    expect(routes.length).toBeGreaterThan(15);
    const open = new Set(['GET /admin/login', 'POST /admin/logout']);
    let checked = 0;
    for (const r of routes) {
      if (open.has(`${r.method} ${r.path}`)) continue;
      const path = r.path.replace(/:id/g, id).replace(/:step/g, 'calendar').replace(/\/\*$/, '/x');
      const variants: Record<string, string>[] = [
        {},
        { accept: 'text/html' },
        { authorization: 'Bearer wrong-token-0000000000000' },
        { cookie: 'kehila_staff=not-a-session' },
      ];
      for (const headers of variants) {
        const res = await app.request(path, {
          method: r.method,
          headers: { ...headers, origin: 'http://localhost:3000', 'content-type': 'application/json' },
          ...(r.method === 'POST' ? { body: '{}' } : {}),
        });
        expect([302, 401, 403], `${r.method} ${path} → ${res.status}`).toContain(res.status);
        if (res.status === 302) expect(res.headers.get('location')).toMatch(/^\/admin\/login/);
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(15);
  });

  it('signs in by a one-time link into an HttpOnly, SameSite=Lax session cookie; the token opens no page', async () => {
    const app = service.app!;
    const refused = await app.request('http://localhost:3000/admin/signin/link?token=nope');
    expect(refused.status).toBe(401);
    const cookie = await staffCookie(app, { db: service.database.db, clock: () => new Date() });
    const page = await app.request('/admin', { headers: { cookie } });
    expect(page.status).toBe(200);
    const tokenOnly = await app.request('/admin', { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(tokenOnly.status).toBe(401);
  });

  it('renders applicant text inert on every page, under a strict CSP', async () => {
    const app = service.app!;
    for (const path of [
      '/admin',
      `/admin/applications/${id}`,
      '/admin/checkins',
      `/admin?q=${encodeURIComponent('<script>')}`,
    ]) {
      const res = await app.request(path, { headers: auth });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      const html = await res.text();
      expect(html).not.toContain('<script>alert(1)</script>');
      expect(html).not.toContain('<img src=x');
      expect(html).not.toMatch(/href="javascript:/);
    }
    const detail = await (await app.request(`/admin/applications/${id}`, { headers: auth })).text();
    expect(detail).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    // Staff see which language the person is written to in.
    expect(detail).toContain('<dt>שפת ההודעות</dt><dd lang="he">עברית</dd>');
    const audits = await service.database.db.selectFrom('audit_log').select(['action', 'target']).execute();
    expect(audits).toContainEqual({ action: 'view_application', target: id });
  });

  it('exports CSV for Excel: BOM, Hebrew intact, formulas neutralised, phones as national text', async () => {
    const res = await service.app!.request('/admin/export.csv', { headers: auth });
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain('רשות מקומית');
    expect(text).toContain(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(text).toContain(',050-723-4567,');
    expect(text).not.toContain('+972507234567');
    for (const [input, out] of [
      ['=1+1', `"'=1+1"`],
      ['+SUM(1)', `"'+SUM(1)"`],
      ['-1+1', `"'-1+1"`],
      ['@cmd', `"'@cmd"`],
      ['\tx', `"'\tx"`],
      ['\rx', `"'\rx"`],
      // A number is written in its national form before it gets here; a bare + still starts a formula.
      ['+972501234567', `"'+972501234567"`],
      ['שלום, עולם', '"שלום, עולם"'],
    ]) {
      expect(csvCell(input)).toBe(out);
    }
  });

  it('serves Prometheus metrics behind the token', async () => {
    const app = service.app!;
    expect((await app.request('/metrics')).status).toBe(401);
    const res = await app.request('/metrics', { headers: { authorization: `Bearer ${TOKEN}` } });
    const text = await res.text();
    expect(text).toContain('kehila_applications{cohort="leading-team-2027",status="submitted"} 1');
    expect(text).toContain('kehila_queue_jobs');
  });

  it('shows the queues through bull-board behind the same login', async () => {
    const app = service.app!;
    const anonymous = await app.request('/admin/queues', { headers: { accept: 'text/html' } });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toBe('/admin/login?next=%2Fadmin%2Fqueues');
    expect((await app.request('/admin/queues/api/queues')).status).toBe(401);

    const page = await app.request('/admin/queues', { headers: auth });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<base href="/admin/queues/"');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const script = /src="(static\/js\/main[^"]+)"/.exec(html)?.[1] ?? '';
    expect((await app.request(`/admin/queues/${script}`, { headers: auth })).status).toBe(200);

    const api = await app.request('/admin/queues/api/queues', { headers: auth });
    const names = ((await api.json()) as { queues: { name: string }[] }).queues.map((q) => q.name).sort();
    expect(names).toEqual(['intake', 'maintenance', 'review', 'steps']);
  });

  it('keeps the audit log append-only in the database', async () => {
    await sql`INSERT INTO audit_log (at, actor, action) VALUES (now(), 'test', 'probe')`.execute(
      service.database.db,
    );
    await expect(sql`UPDATE audit_log SET actor = 'x'`.execute(service.database.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`DELETE FROM audit_log`.execute(service.database.db)).rejects.toThrow(/append-only/);
  });
});

describe('personal data', () => {
  const postgres = backends.find((b) => b.name === 'postgres')!;

  it('erases a person so that the canary is found nowhere: PostgreSQL, Redis, logs, Slack and Calendar', async () => {
    const canary = `canary${Math.random().toString(36).slice(2, 10)}`;
    const database = await postgres.open();
    const lines: string[] = [];
    const logger = pino(
      { level: 'trace' },
      new Writable({
        write(chunk, _enc, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    const calendar = recordingCalendar();
    const slack = recordingSlack();
    const cards = recordingCards();
    const t = await startTestPipeline({ database, calendar, slack, cards, logger });
    try {
      const { id } = await t.submit({
        fullName: `נועה ${canary}`,
        email: `${canary}@example.org`,
        motivation: `אני ${canary} רוצה לקדם חינוך מדעי בנגב`,
        accessibilityNeeds: `צריכה ${canary}`,
        organisation: `ארגון ${canary}`,
      });
      await eventually(
        () => t.status(id),
        (s) => s === 'in_review',
      );
      await decide(t.reviewCtx, { applicationId: id, outcome: 'accepted', actor: 'staff', byName: 'Staff' });
      await eventually(
        () => t.status(id),
        (s) => s === 'onboarded',
      );
      expect(JSON.stringify([...cards.cards.values()])).toContain(canary);

      const before = await exportPerson(t.reviewCtx, { email: `${canary}@example.org`, actor: 'staff' });
      expect(before.applications).toHaveLength(1);
      expect(before.events.length).toBeGreaterThan(5);
      expect(before.steps.map((s) => s.step).sort()).toEqual(['calendar', 'notice', 'received', 'slack']);

      const erased = await eraseApplication(
        { ...t.reviewCtx, calendar, slack, mail: t.mail, removeJobs: t.pipeline.context.removeJobs },
        { applicationId: id, actor: 'staff', reason: 'request' },
      );
      expect(erased.kind).toBe('erased');
      await eventually(
        async () => JSON.stringify([...cards.cards.values()]).includes(canary),
        (found) => !found,
      );

      const columns = await sql<{ table_name: string; column_name: string }>`
        SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = ${database.schema} AND data_type IN ('text', 'jsonb', 'character varying')`.execute(
        database.db,
      );
      expect(columns.rows.length).toBeGreaterThan(20);
      for (const c of columns.rows) {
        const hits = await sql<{ n: string }>`
          SELECT count(*) AS n FROM ${sql.id(c.table_name)} WHERE ${sql.id(c.column_name)}::text ILIKE ${`%${canary}%`}`.execute(
          database.db,
        );
        expect(Number(hits.rows[0]?.n), `${c.table_name}.${c.column_name}`).toBe(0);
      }
      const redis = new Redis(TEST_REDIS_URL, { protocol: 2 });
      try {
        const keys = await redis.keys(`${t.prefix}:*`);
        expect(keys.length).toBeGreaterThan(0);
        for (const key of keys) {
          const type = await redis.type(key);
          const value =
            type === 'string'
              ? await redis.get(key)
              : type === 'hash'
                ? JSON.stringify(await redis.hgetall(key))
                : type === 'list'
                  ? JSON.stringify(await redis.lrange(key, 0, -1))
                  : type === 'zset'
                    ? JSON.stringify(await redis.zrange(key, '0', '-1'))
                    : type === 'set'
                      ? JSON.stringify(await redis.smembers(key))
                      : type === 'stream'
                        ? JSON.stringify(await redis.xrange(key, '-', '+'))
                        : '';
          expect(value ?? '', key).not.toContain(canary);
        }
      } finally {
        redis.disconnect();
      }
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.join('\n')).not.toContain(canary);
      expect(JSON.stringify([...calendar.attendees.values()])).not.toContain(canary);
      expect(JSON.stringify([...slack.members.entries()].map(([k, v]) => [k, [...v]]))).not.toContain(canary);
      expect(JSON.stringify([...cards.cards.values()])).not.toContain(canary);
      expect([...calendar.attendees.values()].every((a) => a.length === 0)).toBe(true);
      // Erasing an accepted member makes the removals a withdrawal makes, and forgets their e-mails.
      expect([...slack.members.values()].every((m) => m.size === 0)).toBe(true);
      expect([...t.mail.sent.keys()].filter((k) => k.endsWith(id))).toEqual([]);
      const audit = await database.db.selectFrom('audit_log').select(['action', 'detail']).execute();
      expect(audit.map((a) => a.action)).toEqual(['access_export', 'erase']);
    } finally {
      await t.stop();
      await database.close();
    }
  }, 60_000);

  it('erases declined applications after the retention period, on the injected clock', async () => {
    const database = await backends[0]!.open();
    let now = new Date('2027-01-01T00:00:00Z');
    const t = await startTestPipeline({ database, clock: () => now, workers: false });
    try {
      const { id } = await t.submit();
      // Through review, since the lifecycle guard refuses a jump from submitted straight to declined.
      for (const status of ['in_review', 'declined'] as const)
        await database.db
          .updateTable('applications')
          .set({ status, updated_at: now })
          .where('id', '=', id)
          .execute();
      const ctx = {
        db: database.db,
        workflows: t.workflows,
        clock: () => now,
        calendar: noCalendar,
        slack: noSlack,
        mail: t.mail,
      };
      now = new Date('2027-12-01T00:00:00Z');
      expect(await applyRetention(ctx)).toBe(0);
      now = new Date('2028-01-02T00:00:00Z');
      expect(await applyRetention(ctx)).toBe(1);
      const row = await database.db
        .selectFrom('applications')
        .select(['status', 'email', 'full_name'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ status: 'erased', email: null, full_name: null });
    } finally {
      await t.stop();
      await database.close();
    }
  });
});
