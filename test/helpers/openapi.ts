// Checks answers against the API's OpenAPI document with ajv (JSON Schema 2020-12, formats included): an
// implementation of its own, so an answer is judged by what the document says, not by the zod schemas the
// document was made from.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS with a `default` property; under NodeNext the default import is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

const DOCUMENT_ID = 'urn:kehila:openapi';

export type JsonSchema = { [keyword: string]: unknown };
interface DocumentedResponse {
  headers?: Record<string, { schema: JsonSchema }>;
  content?: Record<string, { schema: JsonSchema }>;
}
interface Operation {
  parameters?: { name: string; in: string; schema: JsonSchema }[];
  responses: Record<string, DocumentedResponse>;
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
}
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonSchema> };
}

const pointer = (...segments: string[]) =>
  `${DOCUMENT_ID}#/${segments.map((s) => encodeURIComponent(s.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/')}`;

/** An OpenAPI path template (`/a/{id}`) as a regular expression over concrete paths. */
const templatePattern = (template: string) =>
  new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);

/** What an answer is checked against, found in the document by method, path and status. */
export interface Answer {
  method: string;
  path: string;
  status: number;
  headers: Headers;
  body: unknown;
}

export function documentChecker(document: OpenApiDocument) {
  // Strict: a keyword that JSON Schema does not know (a typo, OpenAPI 3.0's `example`) fails the compile.
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  // The document as a whole is no JSON Schema: its top-level fields are made known as annotations, so that
  // the fragments it points to can be compiled, each resolving `#/components/...` against the document.
  for (const keyword of Object.keys(document)) ajv.addKeyword({ keyword });
  ajv.addSchema(document as never, DOCUMENT_ID);
  const compiled = new Map<string, ValidateFunction>();
  const compile = (ref: string) => {
    let validate = compiled.get(ref);
    if (!validate) {
      validate = ajv.compile({ $ref: ref });
      compiled.set(ref, validate);
    }
    return validate;
  };
  const templates = Object.keys(document.paths).map((t) => ({ template: t, pattern: templatePattern(t) }));
  const templateOf = (path: string) =>
    templates.find((t) => t.pattern.test(path.split('?')[0] ?? ''))?.template;

  return {
    templateOf,
    /** The problems with an answer, empty when the document describes it exactly. */
    problems(answer: Answer): string[] {
      const template = templateOf(answer.path);
      if (!template) return [`${answer.path} is not in the document`];
      const method = answer.method.toLowerCase();
      const operation = document.paths[template]?.[method];
      if (!operation) return [`${answer.method} ${template} is not in the document`];
      const status = String(answer.status);
      const response = operation.responses[status];
      if (!response) return [`${answer.method} ${template} does not document ${status}`];
      const problems: string[] = [];
      for (const name of Object.keys(response.headers ?? {})) {
        if (!answer.headers.has(name)) problems.push(`header ${name} missing`);
        const value = Number(answer.headers.get(name));
        const check = compile(
          pointer('paths', template, method, 'responses', status, 'headers', name, 'schema'),
        );
        if (!check(Number.isFinite(value) ? value : answer.headers.get(name)))
          problems.push(`header ${name}: ${ajv.errorsText(check.errors)}`);
      }
      const type = (answer.headers.get('content-type') ?? '').split(';')[0] ?? '';
      if (!response.content)
        return answer.body === null ? problems : [...problems, 'a body was not documented'];
      if (!response.content[type]) return [...problems, `content type ${type} is not documented`];
      const check = compile(
        pointer('paths', template, method, 'responses', status, 'content', type, 'schema'),
      );
      if (!check(answer.body)) problems.push(`body: ${ajv.errorsText(check.errors)}`);
      return problems;
    },
    /** Validates a request body against the operation's request schema. */
    requestProblems(method: string, template: string, body: unknown): string[] {
      const check = compile(
        pointer(
          'paths',
          template,
          method.toLowerCase(),
          'requestBody',
          'content',
          'application/json',
          'schema',
        ),
      );
      return check(body) ? [] : [ajv.errorsText(check.errors)];
    },
  };
}

/** Sends a request to an app and reads what came back, for `problems`. */
export async function answerOf(
  app: { request(path: string, init?: RequestInit): Response | Promise<Response> },
  path: string,
  init: RequestInit = {},
): Promise<Answer> {
  const res = await app.request(path, init);
  const text = await res.text();
  let body: unknown = null;
  if (text !== '') body = (res.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text;
  return { method: init.method ?? 'GET', path, status: res.status, headers: res.headers, body };
}
