import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryMailer } from '../../integrations/mail/index.ts';
import { parseConfig } from '../../src/config.ts';
import { badRequestTitle } from '../../src/http/notices.ts';
import { type RunningService, startService } from '../../src/service.ts';
import { createdBody, submitApplication } from '../../src/usecases/submit-application.ts';
import { loadWorkflows } from '../../workflows/index.ts';
import { validBody } from '../helpers/app.ts';
import { randomPrefix, TEST_REDIS_URL } from '../helpers/backends.ts';
import { reviewSettings } from '../helpers/pipeline.ts';
import { staffCookie } from '../helpers/staff.ts';

const TOKEN = 'admin-token-for-tests-0123456789';
const ORIGIN = 'http://localhost:3000';
// Neither a UUID nor a workflow id: each must be refused with 400 wherever an id goes.
const BAD_IDS = [
  'NOT-A-UUID',
  '-5',
  "x' OR '1'='1",
  '%00',
  'a%00b',
  'x'.repeat(300),
  '00000000-0000-0000-0000-00000000000G',
];
const BAD_NUMBERS = ['1e308', '-5', '1.5', 'abc', '99999999999999999999', '0x10'];
const BAD_TEXT = ['a%00b', '%01', 'x'.repeat(5000)];

let service: RunningService;
let dir: string;
let id = '';
const submitOne = async () =>
  createdBody(
    await submitApplication(
      { db: service.database.db, workflows: loadWorkflows(reviewSettings()), clock: () => new Date() },
      {
        cohortId: 'leading-team-2027',
        source: 'api',
        body: validBody({ email: `p${Math.random().toString(36).slice(2)}@example.org` }),
      },
    ),
  ).id;
let cookie = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kehila-input-'));
  service = await startService({
    config: parseConfig({ PORT: '0', DATA_DIR: dir, REDIS_URL: TEST_REDIS_URL, ADMIN_TOKEN: TOKEN }),
    logger: pino({ level: 'silent' }),
    settings: reviewSettings(),
    role: 'web',
    overrides: { mail: memoryMailer(), redisPrefix: randomPrefix('inp') },
  });
  id = await submitOne();
  cookie = await staffCookie(service.app!, { db: service.database.db, clock: () => new Date() });
});
afterAll(async () => {
  for (const q of Object.values(service.pipeline.queues.queues))
    await q.obliterate({ force: true }).catch(() => {});
  await service.stop();
  await rm(dir, { recursive: true, force: true });
});

/** A staff request as the dashboard (a session) or a script (the bearer token) sends it: our origin, a small body. */
function send(method: string, path: string) {
  const api = path.startsWith('/admin/api');
  return service.app!.request(`${ORIGIN}${path}`, {
    method,
    headers: {
      ...(api ? { authorization: `Bearer ${TOKEN}` } : { cookie }),
      origin: ORIGIN,
      accept: api ? 'application/json' : 'text/html',
      'content-type': api ? 'application/json' : 'application/x-www-form-urlencoded',
    },
    ...(method === 'POST' ? { body: api ? '{}' : 'vote=approve' } : {}),
  });
}

/** 400 in the app's one error shape on the API, a Hebrew page on the dashboard. */
async function expectBadRequest(res: Response, label: string) {
  expect(res.status, label).toBe(400);
  if (label.includes('/admin/api')) {
    const body = (await res.json()) as { error: { code: string; message: string; requestId: string } };
    expect(body.error.code, label).toBe('bad_request');
    expect(typeof body.error.message, label).toBe('string');
    expect(body.error.requestId, label).toMatch(/\S/);
  } else {
    expect(res.headers.get('content-type'), label).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html, label).toContain('lang="he"');
    expect(html, label).toContain(badRequestTitle);
  }
}

const staffRoutes = () => {
  const seen = new Set<string>();
  return service
    .app!.routes.filter((r) => r.path.startsWith('/admin') && !r.path.startsWith('/admin/queues'))
    .filter((r) => r.method === 'GET' || r.method === 'POST')
    .filter((r) => !seen.has(`${r.method} ${r.path}`) && seen.add(`${r.method} ${r.path}`));
};

describe('staff routes with bad input', () => {
  it('answer every malformed :id with 400, on every admin route that takes one', async () => {
    const routes = staffRoutes().filter((r) => r.path.includes(':id'));
    expect(routes.length).toBeGreaterThanOrEqual(15);
    for (const r of routes) {
      for (const bad of BAD_IDS) {
        const path = r.path.replace(':id', bad).replace(':step', 'calendar');
        await expectBadRequest(await send(r.method, path), `${r.method} ${path}`);
      }
    }
  });

  it('answer an unknown :step with 400', async () => {
    for (const r of staffRoutes().filter((x) => x.path.includes(':step'))) {
      for (const bad of ['nope', '%00', 'CALENDAR']) {
        const path = r.path.replace(':id', id).replace(':step', bad);
        await expectBadRequest(await send(r.method, path), `${r.method} ${path}`);
      }
    }
  });

  it('answer out-of-range numbers and text with control characters or no end with 400', async () => {
    const cases: [string, string[], string[]][] = [
      ['/admin/api/applications', ['limit', 'offset'], ['cohort', 'status', 'q']],
      ['/admin', ['page'], ['cohort', 'status', 'flag', 'q']],
      ['/admin/export.csv', [], ['cohort', 'status']],
      ['/admin/checkins', [], ['line']],
    ];
    for (const [path, numbers, texts] of cases) {
      for (const name of numbers) {
        for (const bad of [...BAD_NUMBERS, '0']) {
          if (bad === '0' && name === 'offset') continue;
          const url = `${path}?${name}=${bad}`;
          await expectBadRequest(await send('GET', url), url);
        }
      }
      for (const name of texts) {
        for (const bad of BAD_TEXT) {
          const url = `${path}?${name}=${bad}`;
          await expectBadRequest(await send('GET', url), `${url.slice(0, 80)}`);
        }
      }
    }
    for (const limit of ['501', '-5']) {
      const url = `/admin/api/applications?limit=${limit}`;
      await expectBadRequest(await send('GET', url), url);
    }
  });

  it('never answer 5xx, whatever parameter any staff route is given', async () => {
    const params = ['page', 'limit', 'offset', 'cohort', 'status', 'flag', 'q', 'line', 'next', 'done'];
    for (const r of staffRoutes()) {
      if (r.method === 'POST' && !r.path.includes(':id')) continue;
      const base = r.path.replace(':id', id).replace(':step', 'calendar');
      for (const name of params) {
        for (const bad of [...BAD_NUMBERS, ...BAD_TEXT]) {
          const res = await send(r.method, `${base}?${name}=${bad}`);
          expect(res.status, `${r.method} ${base}?${name}=${bad.slice(0, 20)}`).toBeLessThan(500);
        }
      }
    }
  });

  it('never answer 5xx for control characters or half surrogate pairs in JSON bodies', async () => {
    const hostile = ['a\u0000b', '\ud800', '\u0001\u007f'];
    for (const text of hostile) {
      for (const [path, body] of [
        ['votes', { reviewer: { email: 'dana@example.org' }, vote: 'approve', note: text }],
        ['votes', { reviewer: { slackId: text }, vote: 'approve' }],
        ['withdraw', { reason: text }],
        ['decision', { outcome: 'waitlisted', byName: text, reason: text }],
      ] as const) {
        // A fresh application each time, so that no earlier action makes this one a 409 before the text is read.
        const res = await service.app!.request(`/admin/api/applications/${await submitOne()}/${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        expect(res.status, `${path} ${JSON.stringify(body)}`).toBeLessThan(500);
      }
    }
  });

  it('still take good values, with the empty fields a filter form sends counted as absent', async () => {
    for (const url of [
      '/admin?page=2&cohort=&status=&flag=&q=',
      `/admin?q=${encodeURIComponent('נועה')}&cohort=leading-team-2027`,
      '/admin/api/applications?limit=500&offset=0&q=noa',
      `/admin/api/applications/${id}`,
      `/admin/applications/${id}?done=1`,
      '/admin/export.csv?cohort=leading-team-2027',
      '/admin/checkins?line=',
    ]) {
      expect((await send('GET', url)).status, url).toBe(200);
    }
    const list = (await (await send('GET', '/admin/api/applications?limit=1')).json()) as {
      applications: unknown[];
    };
    expect(list.applications).toHaveLength(1);
  });
});
