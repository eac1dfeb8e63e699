import { Hono } from 'hono';
import { z } from 'zod';
import { AppError } from '../../domain/errors.ts';
import { cleanLine } from '../../domain/text.ts';
import { negotiateLang } from '../../pages/i18n/index.ts';
import type { SubmissionSource } from '../../usecases/submit-application.ts';
import type { AppDeps, AppEnv } from '../deps.ts';
import { claimsRelay, verifyRelay } from '../relay-signature.ts';
import { enforceLimit } from './limits.ts';

/** The Idempotency-Key header: 1–200 visible ASCII characters, so it stores and logs as it came. */
export const idempotencyKeySchema = z.string().regex(/^[\x21-\x7e]{1,200}$/);

/** JSON intake: the same schema as the form, unknown fields refused, Idempotency-Key honoured. */
export function apiRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.post('/api/cohorts/:cohort/applications', async (c) => {
    const type = c.req.header('content-type') ?? '';
    if (!/^application\/json\s*(;|$)/i.test(type)) {
      throw new AppError('unsupported_media_type', 'send application/json');
    }
    const now = deps.clock().getTime();
    const key = c.req.header('idempotency-key');
    if (key !== undefined && !idempotencyKeySchema.safeParse(key).success) {
      throw new AppError('bad_request', 'Idempotency-Key must be 1–200 visible ASCII characters', {
        fields: { 'Idempotency-Key': 'invalid_type' },
      });
    }
    const raw = await c.req.text();
    let clientIp = deps.clientIp(c);
    let flags: string[] = [];
    let source: SubmissionSource = 'api';
    const header = (name: string) => c.req.header(name);
    if (claimsRelay(header)) {
      // A relay speaks for the applicant's address, so it must prove it comes from our edge, once.
      const check = await verifyRelay(deps.edgeRelay?.secret, header, {
        path: c.req.path,
        idempotencyKey: key,
        body: raw,
        nowMs: now,
      });
      if (!check.ok) throw new AppError('unauthorized', `relay refused: ${check.reason}`);
      if (!(await deps.edgeRelay?.firstUse(check.signature))) {
        throw new AppError('unauthorized', 'relay refused: replayed');
      }
      clientIp = check.clientIp || clientIp;
      flags = check.flags;
      source = 'edge';
    }
    await enforceLimit(deps.limits.ip, `ip:${clientIp}`, now);
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      throw new AppError('bad_request', 'the body is not valid JSON', { fields: { _body: 'invalid_json' } });
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new AppError('validation_failed', 'the body must be a JSON object', {
        fields: { _body: 'invalid_type' },
      });
    }
    const email = (body as { email?: unknown }).email;
    if (typeof email === 'string')
      await enforceLimit(deps.limits.email, `email:${cleanLine(email).toLowerCase()}`, now);
    const result = await deps.submit({
      cohortId: c.req.param('cohort'),
      body,
      source,
      idempotencyKey: key,
      clientIp,
      flags,
      // A `language` in the body comes first (the schema checks it); the headers speak for a client that
      // sends none. Content-Language names the body's own language, so its tags rank before every equally
      // preferred one of Accept-Language.
      language: negotiateLang(
        undefined,
        undefined,
        [c.req.header('content-language'), c.req.header('accept-language')].filter(Boolean).join(','),
      ),
    });
    // Accepted at the edge while the core is away: stored for delivery, the reference not known yet.
    if (result.queued) return c.json({ status: 'queued' }, 202);
    return c.json(result.body, result.httpStatus);
  });
  return app;
}
