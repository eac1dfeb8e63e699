import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { redisMutex } from '../../integrations/mutex.ts';
import { randomPrefix, TEST_REDIS_URL } from '../helpers/backends.ts';

const redis = new Redis(TEST_REDIS_URL, { protocol: 2 });
afterAll(() => redis.disconnect());
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the lock across processes', () => {
  it('stays with a holder whose work outlasts its TTL: the other process enters only after it is done', async () => {
    const prefix = randomPrefix('lock');
    // Two processes: each its own mutex, so nothing is queued locally between them.
    const first = redisMutex(redis, { prefix, holder: 'host/1' });
    const second = redisMutex(redis, { prefix, holder: 'host/2', maxWaitMs: 10_000 });
    const order: string[] = [];
    const holding = first.withLock('event', 300, async () => {
      order.push('first in');
      await sleep(1200);
      order.push('first out');
    });
    await sleep(50);
    const waiting = second.withLock('event', 300, async () => {
      order.push('second in');
    });
    await Promise.all([holding, waiting]);
    expect(order).toEqual(['first in', 'first out', 'second in']);
  });

  it('names its holder in the key, and lets go of it when the work ends or throws', async () => {
    const prefix = randomPrefix('lock');
    const mutex = redisMutex(redis, { prefix, holder: 'worker-host/4242' });
    const seen = await mutex.withLock('event', 1000, () => redis.get(`${prefix}:event`));
    expect(seen).toMatch(/^worker-host\/4242:[0-9a-f-]{36}$/);
    expect(await redis.exists(`${prefix}:event`)).toBe(0);
    await expect(
      mutex.withLock('event', 300, async () => {
        throw new Error('the write failed');
      }),
    ).rejects.toThrow('the write failed');
    expect(await redis.exists(`${prefix}:event`)).toBe(0);
  });

  it('is taken once a dead holder’s TTL lapses, and a waiter past its wait gives up with an error', async () => {
    const prefix = randomPrefix('lock');
    // What a killed holder leaves behind: its key, renewed by no one.
    await redis.set(`${prefix}:event`, 'host/999:dead', 'PX', 400);
    const mutex = redisMutex(redis, { prefix, holder: 'host/3', maxWaitMs: 5000 });
    expect(await mutex.withLock('event', 1000, async () => 'in')).toBe('in');

    await redis.set(`${prefix}:other`, 'host/999:alive', 'PX', 60_000);
    const impatient = redisMutex(redis, { prefix, maxWaitMs: 200 });
    await expect(impatient.withLock('other', 1000, async () => 'in')).rejects.toThrow(
      /not acquired in 200 ms/,
    );
  });
});
