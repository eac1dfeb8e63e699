import { z } from 'zod';
import type { ErrorCode } from '../../domain/errors.ts';

// The pieces of an OpenAPI 3.1 document this API uses, typed just enough to catch a misplaced field. No
// OpenAPI library: zod 4 writes JSON Schema 2020-12 itself, which is OpenAPI 3.1's own dialect, and the rest
// is plain data.

export type JsonSchema = { [keyword: string]: unknown };

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

export interface Response {
  description: string;
  headers?: Record<string, { description: string; schema: JsonSchema }>;
  content?: Record<string, { schema: JsonSchema }>;
}

export interface Operation {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: { required: boolean; description?: string; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, Response>;
}

export type PathItem = Partial<Record<'get' | 'post', Operation>>;

function convert(schema: z.ZodType, io: 'input' | 'output', unrepresentable: 'throw' | 'any'): JsonSchema {
  const { $schema: _, ...json } = z.toJSONSchema(schema, {
    io,
    target: 'draft-2020-12',
    unrepresentable,
  }) as JsonSchema;
  // A `$defs` reference would resolve against the whole document, where `#/$defs` does not exist.
  if ('$defs' in json) throw new Error('a schema in the API document must not need $defs');
  return json;
}

/** A request's zod schema as JSON Schema: what the client sends, before the route's transforms. */
export const requestSchema = (schema: z.ZodType): JsonSchema => convert(schema, 'input', 'throw');

/** A response's zod schema as JSON Schema: what the service sends. */
export const responseSchema = (schema: z.ZodType): JsonSchema => convert(schema, 'output', 'throw');

/** A route parameter's zod schema: where the route reads the text as a number, the number is what it means. */
export function parameterSchema(schema: z.ZodType): JsonSchema {
  const out = convert(schema, 'output', 'any');
  return out.type === 'integer' || out.type === 'number' ? out : requestSchema(schema);
}

/** The parameters a route reads with `pathParams` (all required) or `queryParams` (all optional). */
export function parameters(
  where: 'path' | 'query',
  shape: Record<string, z.ZodType>,
  descriptions: Record<string, string> = {},
): Parameter[] {
  return Object.entries(shape).map(([name, schema]) => ({
    name,
    in: where,
    required: where === 'path',
    ...(descriptions[name] ? { description: descriptions[name] } : {}),
    schema: parameterSchema(schema),
  }));
}

/** A JSON body. */
export const json = (schema: JsonSchema) => ({ 'application/json': { schema } });

/** A reference to one of the document's component schemas. */
export const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

/** The one error shape, narrowed to the codes this answer can carry. */
export function errorResponse(
  description: string,
  codes: ErrorCode[],
  extra: Partial<Response> = {},
): Response {
  return {
    description,
    ...extra,
    content: json({
      allOf: [
        ref('Error'),
        {
          type: 'object',
          properties: { error: { type: 'object', properties: { code: { enum: codes } } } },
        },
      ],
    }),
  };
}

/** 429 with the Retry-After header every rate-limited answer carries. */
export const rateLimited = (description: string): Response =>
  errorResponse(description, ['rate_limited'], {
    headers: {
      'Retry-After': {
        description: 'Seconds until the limit lets this client (or this e-mail address) through again.',
        schema: { type: 'integer', minimum: 1 },
      },
    },
  });
