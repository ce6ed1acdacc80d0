import type { ApiDefinition } from '../api-definition.ts';
import { escapeSegment, isObject, type Json } from './pointer.ts';

/**
 * One difference between two definitions. `path` is a JSON Pointer into the definition, except that
 * routes are keyed by `<METHOD> <path>` and a route's parameters by `<in> <name>`, so reordering them
 * is no change: `/routes/GET ~1pets/parameters/query limit/schema/maximum`.
 */
export interface Change {
  op: 'add' | 'remove' | 'replace';
  path: string;
  before?: unknown;
  after?: unknown;
}

/** The changes that turn `before` (none for a new API) into `after`; stamps of a stored revision are ignored. */
export function definitionChanges(before: ApiDefinition | undefined, after: ApiDefinition): Change[] {
  const changes: Change[] = [];
  const { revision: _r, updatedAt: _u, routes: beforeRoutes, ...beforeRest } = (before ?? {}) as Json;
  const { revision: _r2, updatedAt: _u2, routes: afterRoutes, ...afterRest } = after as unknown as Json;
  compare(beforeRest, afterRest, '', changes);
  // No routes and an empty list mean the same; either way each route is added or removed on its own.
  const was = keyed(beforeRoutes, (r) => `${r.method} ${r.path}`);
  const is = keyed(afterRoutes, (r) => `${r.method} ${r.path}`);
  for (const key of new Set([...was.keys(), ...is.keys()])) {
    const at = `/routes/${escapeSegment(key)}`;
    const old = was.get(key);
    const now = is.get(key);
    if (!now) changes.push({ op: 'remove', path: at, before: old });
    else if (!old) changes.push({ op: 'add', path: at, after: now });
    else compare(withKeyedParameters(old), withKeyedParameters(now), at, changes);
  }
  return changes;
}

function keyed(list: unknown, key: (item: Json) => string): Map<string, Json> {
  return new Map((Array.isArray(list) ? list : []).filter(isObject).map((item) => [key(item), item]));
}

function withKeyedParameters(route: Json): Json {
  if (!Array.isArray(route.parameters)) return route;
  return { ...route, parameters: Object.fromEntries(keyed(route.parameters, (p) => `${p.in} ${p.name}`)) };
}

function compare(before: unknown, after: unknown, path: string, changes: Change[]): void {
  if (sameJson(before, after)) return;
  if (isObject(before) && isObject(after)) {
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      const at = `${path}/${escapeSegment(key)}`;
      const had = Object.hasOwn(before, key);
      const has = Object.hasOwn(after, key);
      if (had && !has) changes.push({ op: 'remove', path: at, before: before[key] });
      else if (!had && has) changes.push({ op: 'add', path: at, after: after[key] });
      else compare(before[key], after[key], at, changes);
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
      const at = `${path}/${i}`;
      if (i >= after.length) changes.push({ op: 'remove', path: at, before: before[i] });
      else if (i >= before.length) changes.push({ op: 'add', path: at, after: after[i] });
      else compare(before[i], after[i], at, changes);
    }
    return;
  }
  changes.push({ op: 'replace', path, before, after });
}

/** Deep equality of JSON values, member order ignored. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]))
    );
  }
  if (!isObject(a) || !isObject(b)) return false;
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && sameJson(a[k], b[k]))
  );
}
