import type { Context } from 'hono';
import { z } from 'zod';
import { AppError } from '../domain/errors.ts';
import { STEP_NAMES } from '../domain/lifecycle.ts';
import { cleanLine } from '../domain/text.ts';

// NUL and the other C0/C1 controls never belong in a URL parameter, and PostgreSQL refuses NUL in text outright
// (which used to surface as a 500).
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/;

/** A row id: the 8-4-4-4-12 hex form PostgreSQL's uuid type takes, so a malformed one never reaches SQL. */
export const uuidParam = z.guid();

/** A workflow id (cohort, programme, action line): lower-case letters, digits and dashes, as workflows/ defines them. */
export const slugParam = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/);

/** One of an application's onboarding steps, as named in the retry routes. */
export const stepParam = z.enum(STEP_NAMES);

/** A line of text of at most `max` characters, without control characters, cleaned like every stored line. */
export const textParam = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !CONTROLS.test(s), 'control characters are not allowed')
    .transform(cleanLine);

/** A whole number from `min` to `max`, in plain digits: no sign, exponent or fraction (`1e308`, `-5`). */
export const intParam = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,15}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

type Shape = Record<string, z.ZodType<unknown, string>>;
type Parsed<S extends Shape> = { [K in keyof S]: z.output<S[K]> };
type Optional<S extends Shape> = { [K in keyof S]?: z.output<S[K]> };

/** The route's path parameters, each checked by its schema; a bad one is a 400 that names it. */
export function pathParams<S extends Shape>(c: Context, shape: S): Parsed<S> {
  return parse(shape, (name) => c.req.param(name), false) as Parsed<S>;
}

/**
 * The query parameters named in `shape`, each optional. An empty one counts as absent, as a filter form sends
 * every field; parameters not named are ignored.
 */
export function queryParams<S extends Shape>(c: Context, shape: S): Optional<S> {
  return parse(shape, (name) => c.req.query(name), true) as Optional<S>;
}

/** Fields of a posted form, each required and checked by its schema, with the same 400 as parameters. */
export function formFields<S extends Shape>(form: Record<string, string | string[]>, shape: S): Parsed<S> {
  return parse(
    shape,
    (name) => {
      const v = form[name];
      return typeof v === 'string' ? v : v?.at(-1);
    },
    false,
  ) as Parsed<S>;
}

function parse(shape: Shape, read: (name: string) => string | undefined, optional: boolean) {
  const out: Record<string, unknown> = {};
  const fields: Record<string, string> = {};
  for (const [name, schema] of Object.entries(shape)) {
    const raw = read(name);
    if (raw === undefined || (optional && raw === '')) {
      if (!optional) fields[name] = 'required';
      continue;
    }
    const result = schema.safeParse(raw);
    if (result.success) {
      if (!(optional && result.data === '')) out[name] = result.data;
    } else {
      fields[name] = result.error.issues[0]?.code ?? 'invalid';
    }
  }
  if (Object.keys(fields).length > 0) {
    throw new AppError('bad_request', `invalid ${Object.keys(fields).join(', ')}`, { fields });
  }
  return out;
}
