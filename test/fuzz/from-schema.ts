// Values drawn from the JSON Schemas of the API's OpenAPI document, and the same values damaged, so that the
// fuzz follows whatever the document says a body looks like instead of a copy of it. Only the keywords the
// document uses are understood; any other fails loudly, so a new one is noticed here first.
import fc from 'fast-check';
import type { JsonSchema } from '../helpers/openapi.ts';

/** Arbitraries to use instead of the schema's own at some paths (`reviewer.slackId`), now and then. */
export type Hints = Record<string, fc.Arbitrary<unknown>>;

const UNDERSTOOD = new Set([
  ...['$ref', 'anyOf', 'oneOf', 'const', 'enum', 'type', 'format', 'pattern', 'examples', 'default'],
  ...['minLength', 'maxLength', 'minimum', 'maximum', 'items', 'minItems', 'maxItems'],
  ...['properties', 'required', 'additionalProperties', 'title', 'description', 'deprecated'],
]);

// Letters and marks of the applicants' languages, digits, punctuation and white space.
const letter = fc.constantFrom(
  ...'אבגדהוזחטיכלמנסעפצקרשתابتثجحخدذرabcdefghijklmnopqrstuvwxyz0123456789 .,-\'"',
);
const email = fc
  .tuple(
    fc.stringMatching(/^[a-z][a-z0-9]{0,15}$/),
    fc.constantFrom('example.org', 'example.co.il', 'muni.org.il'),
  )
  .map(([local, domain]) => `${local}@${domain}`);

/** Values the schema accepts, as far as JSON Schema can say (the service's checks may refuse some). */
export function arbitraryFor(
  document: { components: { schemas: Record<string, JsonSchema> } },
  schema: JsonSchema,
  hints: Hints = {},
  path = '',
): fc.Arbitrary<unknown> {
  for (const keyword of Object.keys(schema))
    if (!UNDERSTOOD.has(keyword)) throw new Error(`${path || 'the body'}: cannot draw from "${keyword}"`);
  const own = draw(document, schema, hints, path);
  const hint = hints[path];
  return hint ? fc.oneof({ arbitrary: hint, weight: 3 }, { arbitrary: own, weight: 1 }) : own;
}

function draw(
  document: { components: { schemas: Record<string, JsonSchema> } },
  schema: JsonSchema,
  hints: Hints,
  path: string,
): fc.Arbitrary<unknown> {
  const sub = (s: unknown, p: string) => arbitraryFor(document, s as JsonSchema, hints, p);
  if (typeof schema.$ref === 'string') {
    const name = /^#\/components\/schemas\/(.+)$/.exec(schema.$ref)?.[1];
    const target = name ? document.components.schemas[name] : undefined;
    if (!target) throw new Error(`${path}: cannot resolve ${schema.$ref}`);
    return sub(target, path);
  }
  const alternatives = (schema.anyOf ?? schema.oneOf) as unknown[] | undefined;
  if (alternatives) return fc.oneof(...alternatives.map((a) => sub(a, path)));
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  switch (schema.type) {
    case 'string':
      return stringFor(schema);
    case 'integer':
      return fc.integer({ min: Number(schema.minimum ?? -1e6), max: Number(schema.maximum ?? 1e6) });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(sub(schema.items ?? {}, `${path}[]`), {
        minLength: Number(schema.minItems ?? 0),
        maxLength: Number(schema.maxItems ?? 5),
      });
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
      const model = Object.fromEntries(
        Object.entries(properties).map(([key, s]) => [key, sub(s, path ? `${path}.${key}` : key)]),
      );
      return fc.record(model, { requiredKeys: (schema.required ?? []) as string[] });
    }
    default:
      throw new Error(`${path}: cannot draw a value of type ${String(schema.type)}`);
  }
}

function stringFor(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.format === 'email') return email;
  if (schema.format === 'uuid') return fc.uuid();
  if (typeof schema.pattern === 'string') return fc.stringMatching(new RegExp(schema.pattern));
  const minLength = Number(schema.minLength ?? 0);
  // Bodies near the upper limit are the size tests' business; the fuzz keeps most bodies small and fast.
  const maxLength = Math.min(Number(schema.maxLength ?? 200), minLength + 80);
  const text = fc.string({ unit: letter, minLength, maxLength });
  const examples = (schema.examples ?? []) as string[];
  return examples.length > 0
    ? fc.oneof({ arbitrary: fc.constantFrom(...examples), weight: 4 }, { arbitrary: text, weight: 1 })
    : text;
}

export type Mutation = 'none' | 'set' | 'delete' | 'extra' | 'retype';

type Place = [Record<string, unknown> | unknown[], string | number];

/** Each place in a value where something can be replaced, removed or added: its container and key. */
function places(value: unknown): Place[] {
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : value && typeof value === 'object'
      ? Object.entries(value)
      : [];
  return entries.flatMap(([key, v]): Place[] => [[value as Place[0], key], ...places(v)]);
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A drawn value, most of the time damaged in one place: a value replaced, a key removed or added, or all of it. */
export function mutated(valid: fc.Arbitrary<unknown>, weird: fc.Arbitrary<unknown>) {
  const kind = fc.constantFrom<Mutation>('none', 'none', 'none', 'set', 'set', 'delete', 'extra', 'retype');
  return fc
    .record({
      value: valid,
      mutation: kind,
      pick: fc.nat(),
      replacement: weird,
      key: fc.string({ maxLength: 20 }),
    })
    .map(({ value, mutation, pick, replacement, key }) => {
      const body = structuredClone(value);
      const spots = places(body);
      const spot = spots[pick % Math.max(1, spots.length)];
      if (mutation === 'none') return { body, mutation };
      if (mutation === 'extra') {
        const objects = [body, ...spots.map(([c, k]) => (c as Record<string | number, unknown>)[k])].filter(
          isObject,
        );
        const target = objects[pick % Math.max(1, objects.length)];
        // The prefix keeps the key unknown to every schema, whatever the string.
        if (target) target[`x${key}`] = replacement;
        return { body: target ? body : replacement, mutation };
      }
      if (mutation === 'retype' || !spot) return { body: replacement, mutation };
      const [container, at] = spot;
      if (mutation === 'set') (container as Record<string | number, unknown>)[at] = replacement;
      else if (Array.isArray(container)) container.splice(Number(at), 1);
      else delete container[at as string];
      return { body, mutation };
    });
}
