import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryMailer } from '../../integrations/mail/index.ts';
import { parseConfig } from '../../src/config.ts';
import { type RunningService, startService } from '../../src/service.ts';
import { createdBody, submitApplication } from '../../src/usecases/submit-application.ts';
import { loadWorkflows } from '../../workflows/index.ts';
import { validBody } from '../helpers/app.ts';
import { eventually, randomPrefix, TEST_REDIS_URL } from '../helpers/backends.ts';
import { recordingCards } from '../helpers/fakes.ts';
import { reviewSettings } from '../helpers/pipeline.ts';
import { dashboardVote } from '../helpers/staff.ts';

const TOKEN = 'admin-token-for-card-refresh-0123';
const ORIGIN = 'http://localhost:3000';

describe('the review card has one writer: its job, queued by every vote wherever it is cast', () => {
  let service: RunningService;
  let dir: string;
  const cards = recordingCards();
  const workflows = loadWorkflows(reviewSettings());

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kehila-cards-'));
    service = await startService({
      config: parseConfig({ PORT: '0', DATA_DIR: dir, REDIS_URL: TEST_REDIS_URL, ADMIN_TOKEN: TOKEN }),
      logger: pino({ level: 'silent' }),
      settings: reviewSettings(),
      role: 'all',
      overrides: { mail: memoryMailer(), cards, redisPrefix: randomPrefix('crd') },
    });
  });
  afterAll(async () => {
    for (const q of Object.values(service.pipeline.queues.queues))
      await q.obliterate({ force: true }).catch(() => {});
    await service.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function withCard(email: string) {
    const body = createdBody(
      await submitApplication(
        { db: service.database.db, workflows, clock: () => new Date() },
        { cohortId: 'leading-team-2027', source: 'api', body: validBody({ email }) },
      ),
    );
    service.pipeline.relay.poke();
    const card = () => [...cards.cards.values()].find((v) => v.applicationId === body.id);
    await eventually(async () => card(), Boolean);
    return { id: body.id, card };
  }

  it('a vote on the dashboard refreshes the card in Slack', async () => {
    const { id, card } = await withCard('dashboard-vote@example.org');
    expect(card()?.votes).toHaveLength(0);
    const status = await dashboardVote(
      service.app!,
      { db: service.database.db, clock: () => new Date() },
      { identity: 'slack:UDANA0001', applicationId: id, vote: 'approve' },
      ORIGIN,
    );
    expect(status).toBe(303);
    const refreshed = await eventually(
      async () => card()?.votes.length ?? 0,
      (n) => n === 1,
    );
    expect(refreshed).toBe(1);
    expect(card()?.votes[0]).toMatchObject({ reviewerName: 'Dana', vote: 'approve' });
  });

  it('the API token cannot vote at all: there is no route for it, and nothing is recorded', async () => {
    const { id } = await withCard('api-vote@example.org');
    const res = await service.app!.request(`/admin/api/applications/${id}/votes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reviewer: { slackId: 'URINA0001' }, vote: 'reject' }),
    });
    expect(res.status).toBe(404);
    const votes = await service.database.db
      .selectFrom('votes')
      .selectAll()
      .where('application_id', '=', id)
      .execute();
    expect(votes).toEqual([]);
  });
});
