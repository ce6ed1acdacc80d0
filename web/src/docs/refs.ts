import type { OpenApiDocument, Reference } from './openapi.ts';

export const isReference = (value: unknown): value is Reference =>
  typeof value === 'object' && value !== null && typeof (value as Reference).$ref === 'string';

/** The value a local reference (`#/components/schemas/Pet`) points at, or undefined. */
export function resolvePointer(document: OpenApiDocument, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  const tokens = ref
    .slice(1)
    .split('/')
    .slice(1)
    .map((token) => decodeURIComponent(token).replace(/~1/g, '/').replace(/~0/g, '~'));
  let value: unknown = document;
  for (const token of tokens) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[token];
  }
  return value;
}

/** The last segment of a reference: the name a schema is shown by. */
export const refName = (ref: string): string => {
  const last = ref.split('/').pop() ?? ref;
  return decodeURIComponent(last).replace(/~1/g, '/').replace(/~0/g, '~');
};

/**
 * The object behind a value that may be a reference, following chains of references; undefined when
 * a reference leads nowhere or round in a circle.
 */
export function deref<T extends object>(
  document: OpenApiDocument,
  value: T | Reference | undefined,
): T | undefined {
  const seen = new Set<string>();
  let current: unknown = value;
  while (isReference(current)) {
    if (seen.has(current.$ref)) return undefined;
    seen.add(current.$ref);
    current = resolvePointer(document, current.$ref);
  }
  return (current ?? undefined) as T | undefined;
}
