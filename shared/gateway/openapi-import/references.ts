import { isObject, type Json, lookup, own, pointerTo, refSegments } from './pointer.ts';
import type { ImportFindings } from './problems.ts';

/** How many `$ref`s in a row are followed before a chain is taken for a loop. */
const MAX_HOPS = 10;

export type ComponentKind =
  | 'parameters'
  | 'requestBodies'
  | 'responses'
  | 'examples'
  | 'pathItems'
  | 'securitySchemes';

export interface Resolved {
  value: Json;
  /** Where the value sits in the document: findings about it point there. */
  at: string;
}

/**
 * An object of the document that may be a `$ref` to `#/components/<kind>/...` (not a schema: those are
 * SchemaConverter's). Members beside a `$ref` (3.1 lets `summary` and `description` override) win.
 */
export function resolveObject(
  document: Json,
  node: unknown,
  at: string,
  kind: ComponentKind,
  findings: ImportFindings,
): Resolved | undefined {
  let value = node;
  let where = at;
  const overrides: Json = {};
  for (let hop = 0; isObject(value) && own(value, '$ref') !== undefined; hop++) {
    const ref = own(value, '$ref');
    for (const key of ['summary', 'description']) {
      if (typeof own(value, key) === 'string' && !(key in overrides)) overrides[key] = value[key];
    }
    if (hop === MAX_HOPS) {
      findings.refuse(`${where}/$ref`, `is a chain of more than ${MAX_HOPS} references, or a loop`);
      return undefined;
    }
    const segments = typeof ref === 'string' ? refSegments(ref) : undefined;
    if (typeof ref !== 'string' || !segments) {
      findings.refuse(
        `${where}/$ref`,
        'is an external reference: only references into this document (#/components/...) are supported',
      );
      return undefined;
    }
    if (segments.length < 3 || segments[0] !== 'components' || segments[1] !== kind) {
      findings.refuse(`${where}/$ref`, `must point into #/components/${kind}`);
      return undefined;
    }
    value = lookup(document, segments);
    where = pointerTo(...segments);
  }
  if (!isObject(value)) {
    findings.refuse(where, 'must be an object');
    return undefined;
  }
  return { value: { ...value, ...overrides }, at: where };
}
