import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../domain/errors.ts';

/** Slack's events and interactivity payloads; its largest, a modal's view state, stays well below. */
export const SLACK_BODY_LIMIT_BYTES = 1024 * 1024;
/** The sign-in form, a dashboard form or an admin API call: a token, a few choices, a note of 2,000 characters. */
export const STAFF_BODY_LIMIT_BYTES = 16 * 1024;

/**
 * Refuses a body larger than `maxBytes` with 413 (`payload_too_large`). A declared Content-Length is judged
 * before anything is read; a chunked body is counted as it is read and dropped at the limit, so nothing
 * past it is ever held in memory.
 */
export function limitBody(maxBytes: number): MiddlewareHandler {
  const tooLarge = () => {
    throw new AppError('payload_too_large', `the body is larger than ${maxBytes} bytes`);
  };
  const counted = bodyLimit({ maxSize: maxBytes, onError: tooLarge });
  return async (c, next) => {
    // A declared length is judged from the header alone. Hono's own check would first ask for the body
    // stream, and on Node that builds a second request object and a web stream for every submission,
    // where the route's own read takes the bytes straight from the socket.
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const headers = c.req.raw.headers;
    const declared = headers.get('content-length');
    if (declared !== null && !headers.has('transfer-encoding') && /^\d+$/.test(declared)) {
      if (Number(declared) > maxBytes) tooLarge();
      return next();
    }
    return counted(c, next);
  };
}
