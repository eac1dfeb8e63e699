import { sha256Hex } from '../domain/digest.ts';
import { signRelay } from '../http/relay-signature.ts';
import type { SubmitResult } from '../usecases/submit-application.ts';

/** What travels from the form at the edge to the core, in a request or through the queue. */
export interface Submission {
  cohortId: string;
  /** The edge's idempotency key: the same for every attempt, so the core stores the application once. */
  key: string;
  /** The form's fields as JSON, exactly as the core's JSON intake takes them. */
  body: string;
  clientIp: string;
  flags: string[];
  receivedAt: string;
}

export interface CoreLink {
  coreUrl: string;
  secret: string;
  timeoutMs: number;
  now: () => number;
}

export type RelayOutcome =
  | { kind: 'accepted'; status: 200 | 201; body: SubmitResult['body'] }
  /** The core answered for good: bad fields, a closed or unknown cohort, a key reused with another body. */
  | {
      kind: 'refused';
      status: number;
      code: string;
      message: string;
      fields?: Record<string, string>;
      retryAfterSeconds?: number;
    }
  /** The core did not answer in time, or answered that it cannot take the submission now. */
  | { kind: 'unreachable'; reason: string; retryAfterSeconds?: number };

/** Statuses after which asking again cannot help. 401/403 are not among them: a secret being rotated heals. */
const PERMANENT = new Set([400, 404, 409, 413, 415, 422]);

export async function relayToCore(link: CoreLink, s: Submission): Promise<RelayOutcome> {
  const path = `/api/cohorts/${encodeURIComponent(s.cohortId)}/applications`;
  const signed = await signRelay(link.secret, {
    timestampMs: link.now(),
    path,
    idempotencyKey: s.key,
    clientIp: s.clientIp,
    flags: s.flags,
    body: s.body,
  });
  let res: Response;
  try {
    res = await fetch(new URL(path, link.coreUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': s.key, ...signed },
      body: s.body,
      signal: AbortSignal.timeout(link.timeoutMs),
    });
  } catch (error) {
    return { kind: 'unreachable', reason: (error as Error).name || 'network' };
  }
  const payload = (await res.json().catch(() => ({}))) as {
    error?: { code?: string; message?: string; fields?: Record<string, string> };
  } & Partial<SubmitResult['body']>;
  if (res.status === 200 || res.status === 201) {
    return { kind: 'accepted', status: res.status, body: payload as SubmitResult['body'] };
  }
  const retryAfter = Number(res.headers.get('retry-after'));
  const retryAfterSeconds = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined;
  if (PERMANENT.has(res.status) || res.status === 429) {
    return {
      kind: 'refused',
      status: res.status,
      code: payload.error?.code ?? 'bad_request',
      message: payload.error?.message ?? `the core answered ${res.status}`,
      ...(payload.error?.fields ? { fields: payload.error.fields } : {}),
      ...(retryAfterSeconds ? { retryAfterSeconds } : {}),
    };
  }
  return {
    kind: 'unreachable',
    reason: `status ${res.status}`,
    ...(retryAfterSeconds ? { retryAfterSeconds } : {}),
  };
}

/** The key for one submission: derived from its content, so a double click or a resend maps to one key. */
export async function submissionKey(cohortId: string, content: string): Promise<string> {
  return `edge-${await sha256Hex(`${cohortId}\n${content}`)}`;
}
