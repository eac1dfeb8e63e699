import type { Context } from 'hono';
import { AppError } from '../domain/errors.ts';

/**
 * A posted form's fields. A damaged multipart body makes the runtime's FormData parser throw, which is the
 * sender's fault, so it becomes a 400 rather than an internal error.
 */
export async function readForm(c: Context): Promise<Record<string, string | string[]>> {
  let raw: Record<string, unknown>;
  try {
    raw = await c.req.parseBody({ all: true });
  } catch {
    throw new AppError('bad_request', 'the form body could not be read');
  }
  const form: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(raw)) {
    // Files are never expected; only text fields count.
    if (typeof v === 'string') form[k] = v;
    else if (Array.isArray(v)) form[k] = v.filter((x): x is string => typeof x === 'string');
  }
  return form;
}

/** One field of a posted form as a single string (the last value when it was sent more than once). */
export const field = (form: Record<string, string | string[]>, name: string): string => {
  const v = form[name];
  return typeof v === 'string' ? v : (v?.at(-1) ?? '');
};
