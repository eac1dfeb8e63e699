import { hmacHex } from '../../src/slack/verify.ts';

export const SIGNING_SECRET = 'slack-signing-secret-for-tests-0123';

/** Headers for a body signed exactly as Slack signs it: v0, the timestamp, the raw body, HMAC-SHA256. */
export async function slackHeaders(body: string, opts: { secret?: string; timestamp?: number } = {}) {
  const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  const signature = `v0=${await hmacHex(opts.secret ?? SIGNING_SECRET, `v0:${timestamp}:${body}`)}`;
  return { 'x-slack-request-timestamp': timestamp, 'x-slack-signature': signature };
}

/** An interactivity payload as Slack posts it: urlencoded with one `payload` field. */
export function interactivityBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export function buttonClick(opts: {
  user: string;
  actionId: string;
  value: string;
  channel?: string;
  team?: string;
  actionTs?: string;
}) {
  return {
    type: 'block_actions',
    team: { id: opts.team ?? 'TTEAM' },
    api_app_id: 'AAPP',
    user: { id: opts.user, team_id: opts.team ?? 'TTEAM' },
    channel: { id: opts.channel ?? 'CREVIEW01' },
    container: { type: 'message', channel_id: opts.channel ?? 'CREVIEW01', message_ts: '1.1' },
    trigger_id: `trigger-${Math.random()}`,
    token: 'legacy',
    actions: [
      {
        type: 'button',
        action_id: opts.actionId,
        block_id: 'review',
        value: opts.value,
        action_ts: opts.actionTs ?? `${Date.now() / 1000}`,
      },
    ],
  };
}
