import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/domain/errors.ts';
import { createLogger } from '../../src/logger.ts';
import type { MailPort } from '../../src/ports.ts';
import { backends, eventually, TEST_REDIS_URL } from '../helpers/backends.ts';
import { pipelinesOn } from '../helpers/pipeline.ts';

const CANARY = 'canary.person7@example.org';

describe.each(backends)('personal data in errors, on $name', (backend) => {
  const setup = pipelinesOn(backend);

  it('masks an address a failing SMTP answer quotes: not in the step, the timeline, Redis or the logs', async () => {
    const lines: string[] = [];
    const logger = createLogger(
      'debug',
      new Writable({
        write(chunk, _enc, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    // The port throws the remote's words as they came, the way a careless adapter would.
    const mail: MailPort = {
      async send() {
        throw new AppError(
          'bad_request',
          `550 5.1.1 <${CANARY}>: Recipient address rejected; call 050-7234567`,
        );
      },
      async forget() {
        return 0;
      },
    };
    const t = await setup({ mail, logger });
    const { id } = await t.submit();
    const step = async () =>
      t.db
        .selectFrom('steps')
        .select(['status', 'last_error'])
        .where('application_id', '=', id)
        .where('step', '=', 'received')
        .executeTakeFirst();
    const failed = await eventually(step, (s) => s?.status === 'failed');
    expect(failed?.last_error).toContain('550 5.1.1');
    expect(failed?.last_error).not.toContain(CANARY);
    expect(failed?.last_error).not.toContain('7234567');

    const events = await t.events(id);
    expect(JSON.stringify(events)).not.toContain(CANARY);
    const redis = new Redis(TEST_REDIS_URL, { protocol: 2 });
    try {
      const job = await redis.hgetall(`${t.prefix}:steps:step-${id}-received-0`);
      expect(job.failedReason).toContain('550 5.1.1');
      expect(JSON.stringify(job)).not.toContain(CANARY);
      expect(JSON.stringify(job)).not.toContain('7234567');
    } finally {
      redis.disconnect();
    }
    expect(lines.some((l) => l.includes('550 5.1.1'))).toBe(true);
    expect(lines.join('\n')).not.toContain(CANARY);
  });
});
