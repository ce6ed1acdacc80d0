import type {
  ExampleObject,
  MediaTypeObject,
  OpenApiDocument,
  ParameterObject,
  SchemaObject,
} from './openapi.ts';
import { deref } from './refs.ts';
import { isArrayLike, isObjectLike, resolveSchema } from './schema-resolve.ts';

/** Deeper than this, a generated example stops unfolding objects and arrays. */
const MAX_DEPTH = 6;

const STRING_BY_FORMAT: Record<string, string> = {
  'date-time': '2025-01-31T12:00:00Z',
  date: '2025-01-31',
  time: '12:00:00Z',
  email: 'dev@example.com',
  uri: 'https://example.com',
  url: 'https://example.com',
  uuid: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
  hostname: 'example.com',
};

/** The example a schema states itself, if any. */
function statedExample(schema: SchemaObject): { value: unknown } | undefined {
  if (schema.example !== undefined) return { value: schema.example };
  if (schema.examples?.length) return { value: schema.examples[0] };
  if (schema.const !== undefined) return { value: schema.const };
  if (schema.default !== undefined) return { value: schema.default };
  if (schema.enum?.length) return { value: schema.enum[0] };
  return undefined;
}

/**
 * A value the schema accepts, built from its own examples where it has them and plain values where
 * not. A schema inside itself is left out (undefined).
 */
export function exampleFromSchema(
  document: OpenApiDocument,
  schema: SchemaObject,
  trail: string[] = [],
  depth = 0,
): unknown {
  const { schema: resolved, trail: path } = resolveSchema(document, schema, trail);
  if (resolved.$ref) return undefined;
  const stated = statedExample(resolved);
  if (stated) return stated.value;
  const variant = resolved.oneOf?.[0] ?? resolved.anyOf?.[0];
  if (variant) return exampleFromSchema(document, variant, path, depth);
  if (isObjectLike(resolved)) {
    if (depth >= MAX_DEPTH) return {};
    const entries = Object.entries(resolved.properties ?? {})
      .filter(([, property]) => !deref<SchemaObject>(document, property)?.readOnly)
      .map(([name, property]) => [name, exampleFromSchema(document, property, path, depth + 1)] as const)
      .filter(([, value]) => value !== undefined);
    return Object.fromEntries(entries);
  }
  if (isArrayLike(resolved)) {
    if (depth >= MAX_DEPTH || !resolved.items) return [];
    const item = exampleFromSchema(document, resolved.items, path, depth + 1);
    return item === undefined ? [] : [item];
  }
  const type = Array.isArray(resolved.type) ? resolved.type.find((t) => t !== 'null') : resolved.type;
  switch (type) {
    case 'string':
      return STRING_BY_FORMAT[resolved.format ?? ''] ?? 'string';
    case 'integer':
    case 'number':
      return resolved.minimum ?? resolved.exclusiveMinimum ?? 0;
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return undefined;
  }
}

export interface Example {
  value: unknown;
  /** Named by the document (`examples`), or undefined when stated plainly or built from the schema. */
  name: string | undefined;
  /** Built from the schema, not written by the API's authors. */
  generated: boolean;
}

/** The example of a request or response body: the document's first, else one built from the schema. */
export function exampleOfMedia(
  document: OpenApiDocument,
  media: MediaTypeObject | undefined,
): Example | undefined {
  if (!media) return undefined;
  if (media.example !== undefined) return { value: media.example, name: undefined, generated: false };
  for (const [name, candidate] of Object.entries(media.examples ?? {})) {
    const example = deref<ExampleObject>(document, candidate);
    if (example?.value !== undefined) return { value: example.value, name, generated: false };
  }
  if (!media.schema) return undefined;
  const value = exampleFromSchema(document, media.schema);
  return value === undefined ? undefined : { value, name: undefined, generated: true };
}

/**
 * A parameter's example as text, only when the document gives one: its examples, and for a required
 * parameter its default or first allowed value too (an optional one is better left out than guessed).
 */
export function parameterExample(document: OpenApiDocument, parameter: ParameterObject): string | undefined {
  let value: unknown = parameter.example;
  if (value === undefined) {
    const first = Object.values(parameter.examples ?? {})[0];
    value = first ? deref<ExampleObject>(document, first)?.value : undefined;
  }
  const schema = parameter.schema ? resolveSchema(document, parameter.schema, []).schema : undefined;
  if (value === undefined && schema) {
    value = schema.example ?? schema.examples?.[0];
    if (value === undefined && (parameter.required || parameter.in === 'path'))
      value = statedExample(schema)?.value;
  }
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}
