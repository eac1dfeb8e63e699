import { z } from 'zod';
import type { Workflows } from '../../workflows/index.ts';
import { ERROR_CODES, type ErrorCode } from '../domain/errors.ts';
import { STAFF_BODY_LIMIT_BYTES } from './body-limit.ts';
import { adminPaths } from './openapi/admin.ts';
import { intakePaths } from './openapi/intake.ts';
import { type JsonSchema, json, type PathItem, responseSchema } from './openapi/schema.ts';

// Built from the zod schemas the routes parse with, by zod 4's own z.toJSONSchema, rather than through
// @hono/zod-openapi: that would mean rewriting every route as an OpenAPIHono route with its validator, while
// the routes deliberately parse by hand (their own error codes, NUL-safe text, limits before reading). Here
// the schemas stay where the routes use them and the document only reads them.

export interface OpenApiOptions {
  workflows: Workflows;
  publicUrl: string;
  /** The intake's body limit. */
  bodyLimitBytes: number;
  /** Whether this deployment serves the admin API (it does with ADMIN_TOKEN set, never at the edge). */
  admin: boolean;
}

const errorBody = z.strictObject({
  error: z.strictObject({
    code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]),
    message: z.string().describe('For a developer, in English; never personal data.'),
    fields: z
      .record(z.string(), z.string())
      .optional()
      .describe('Per field (or header, or `_body`), the code of its first problem.'),
    requestId: z
      .string()
      .describe('Also in the X-Request-Id header and the service log: quote it to support.'),
  }),
});

const DESCRIPTION = (o: OpenApiOptions) =>
  [
    "kehila runs the membership life of Israel's muni:STEM network. This document describes its JSON API: " +
      'the public intake of applications' +
      (o.admin ? ', and the admin API that runs the whole pipeline without Slack.' : '.'),
    '',
    'Every error has one shape, `{"error": {"code", "message", "fields"?, "requestId"}}`, and the code says what ' +
      'to do; a 5xx is a bug to report with its request id. Responses list every property the service sends ' +
      'today; later versions may add some, so a client should ignore those it does not know.',
  ].join('\n');

/** The OpenAPI 3.1 document of the JSON API this deployment serves. */
export function openApiDocument(options: OpenApiOptions) {
  const intake = intakePaths(options.workflows, options.bodyLimitBytes);
  const paths: Record<string, PathItem> = {
    ...intake.paths,
    '/api/openapi.json': {
      get: {
        operationId: 'openApiDocument',
        summary: 'This document',
        tags: ['meta'],
        security: [],
        responses: { '200': { description: 'The OpenAPI 3.1 document.', content: json({ type: 'object' }) } },
      },
    },
    ...(options.admin ? adminPaths(STAFF_BODY_LIMIT_BYTES) : {}),
  };
  const schemas: Record<string, JsonSchema> = { Error: responseSchema(errorBody), ...intake.schemas };
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: { title: 'kehila', version: '1', description: DESCRIPTION(options) },
    servers: [{ url: new URL(options.publicUrl).origin }],
    tags: [
      { name: 'intake', description: 'Applications, as the public form and the edge Worker send them.' },
      ...(options.admin
        ? [
            {
              name: 'admin',
              description:
                'Staff operations behind the bearer token `ADMIN_TOKEN`. Decisions, retries and withdrawals ' +
                'are recorded on the timeline with the actor `staff` (a decision also under its `byName`). ' +
                `Bodies at most ${STAFF_BODY_LIMIT_BYTES / 1024} KB; no rate limit (the token is the guard).`,
            },
            { name: 'check-ins', description: 'Weekly check-ins of the action lines: history and controls.' },
          ]
        : []),
      { name: 'meta', description: 'About the API itself.' },
    ],
    paths,
    components: {
      schemas,
      ...(options.admin
        ? {
            securitySchemes: {
              adminToken: {
                type: 'http',
                scheme: 'bearer',
                description: "The deployment's ADMIN_TOKEN, as `Authorization: Bearer <token>`.",
              },
            },
          }
        : {}),
    },
  };
}
