/** JSON Pointers (RFC 6901) into an OpenAPI document, and the lookups behind its `$ref`s. */

export type Json = Record<string, unknown>;

export const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A member the object holds itself: `constructor` or `__proto__` in a document are just names. */
export const own = (object: Json, key: string): unknown =>
  Object.hasOwn(object, key) ? object[key] : undefined;

export const escapeSegment = (segment: string): string => segment.replace(/~/g, '~0').replace(/\//g, '~1');

export const unescapeSegment = (segment: string): string => segment.replace(/~1/g, '/').replace(/~0/g, '~');

export const pointerTo = (...segments: (string | number)[]): string =>
  segments.map((s) => `/${escapeSegment(String(s))}`).join('');

/** The segments of a local reference (`#/components/schemas/Pet`), or undefined when it is not one. */
export function refSegments(ref: string): string[] | undefined {
  if (ref === '#') return [];
  if (!ref.startsWith('#/')) return undefined;
  try {
    return ref
      .slice(2)
      .split('/')
      .map((segment) => unescapeSegment(decodeURIComponent(segment)));
  } catch {
    return undefined;
  }
}

export function lookup(document: Json, segments: readonly string[]): unknown {
  let node: unknown = document;
  for (const segment of segments) {
    if (Array.isArray(node) && /^(0|[1-9]\d*)$/.test(segment)) node = node[Number(segment)];
    else if (isObject(node)) node = own(node, segment);
    else return undefined;
  }
  return node;
}
