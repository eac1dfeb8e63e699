import { ErrorCode } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackWebClient } from '../../integrations/slack/web-client.ts';
import { type SlackFake, startSlackFake } from '../fakes/slack.ts';

let fake: SlackFake;
beforeAll(async () => {
  fake = await startSlackFake();
});
afterAll(async () => {
  await fake.close();
});

const refusal = (call: Promise<unknown>) =>
  call.then(
    () => null,
    (error: { code?: string; retryAfter?: number }) => ({ code: error.code, retryAfter: error.retryAfter }),
  );

describe('a Slack method after a 429', () => {
  it('is refused in this process until its Retry-After has passed, without a call; other methods go on', async () => {
    const client = createSlackWebClient({ token: 'xoxb-test', slackApiUrl: fake.url });
    const posted = await client.chat.postMessage({ channel: 'CREVIEW01', text: 'card' });
    const update = () =>
      client.chat.update({ channel: 'CREVIEW01', ts: posted.ts ?? '', text: 'card, voted' });
    fake.fail('chat.update', 1, { status: 429, retryAfter: 1 });

    expect(await refusal(update())).toEqual({ code: ErrorCode.RateLimitedError, retryAfter: 1 });
    expect(fake.count('chat.update')).toBe(1);
    // Refused here, not by Slack: every worker asking again within the second would only be refused again.
    expect(await refusal(update())).toEqual({ code: ErrorCode.RateLimitedError, retryAfter: 1 });
    expect(fake.count('chat.update')).toBe(1);
    await client.chat.postMessage({ channel: 'CREVIEW01', text: 'another card' });
    expect(fake.count('chat.postMessage')).toBe(2);

    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await refusal(update())).toBeNull();
    expect(fake.count('chat.update')).toBe(2);
  });
});
