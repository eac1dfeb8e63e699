import { Hono } from 'hono';
import { AppError } from '../../domain/errors.ts';
import { cleanLine } from '../../domain/text.ts';
import type { AppDeps, AppEnv } from '../app.tsx';
import { enforceLimit } from './limits.ts';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/** JSON intake: the same schema as the form, unknown fields refused, Idempotency-Key honoured. */
export function apiRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.post('/api/cohorts/:cohort/applications', async (c) => {
    const type = c.req.header('content-type') ?? '';
    if (!/^application\/json\s*(;|$)/i.test(type)) {
      throw new AppError('unsupported_media_type', 'send application/json');
    }
    const now = deps.clock().getTime();
    enforceLimit(deps.limits.ip, `ip:${deps.clientIp(c)}`, now);
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch {
      throw new AppError('bad_request', 'the body is not valid JSON', { fields: { _body: 'invalid_json' } });
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new AppError('validation_failed', 'the body must be a JSON object', {
        fields: { _body: 'invalid_type' },
      });
    }
    const key = c.req.header('idempotency-key');
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
      throw new AppError('bad_request', 'Idempotency-Key must be 1–200 visible ASCII characters', {
        fields: { 'Idempotency-Key': 'invalid_type' },
      });
    }
    const email = (body as { email?: unknown }).email;
    if (typeof email === 'string')
      enforceLimit(deps.limits.email, `email:${cleanLine(email).toLowerCase()}`, now);
    const result = await deps.submit({
      cohortId: c.req.param('cohort'),
      body,
      source: 'api',
      idempotencyKey: key,
    });
    return c.json(result.body, result.httpStatus);
  });
  return app;
}
