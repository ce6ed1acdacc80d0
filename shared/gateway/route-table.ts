/**
 * Matches a request's method and path (below `/apis/{apiName}`) against an API's route templates:
 * `/orders`, `/orders/{orderId}`, `/files/{key+}` (greedy, one or more segments, last only).
 *
 * Precedence follows API Gateway's: the most specific template wins — at the first segment where two
 * candidates differ, a literal beats a `{param}`, which beats a greedy `{param+}`; then an exact method
 * beats `ANY`. Ties keep definition order. Pure: no I/O.
 */
export interface RouteTemplate {
  method: string;
  path: string;
}

export interface RouteMatch<R extends RouteTemplate> {
  route: R;
  /** Position of the route in the list it was compiled from. */
  index: number;
  /** Decoded path parameters; a greedy one keeps its slashes. */
  params: Record<string, string>;
}

type Segment =
  | { kind: 'literal'; text: string }
  | { kind: 'param'; name: string }
  | { kind: 'greedy'; name: string };

interface Compiled<R extends RouteTemplate> {
  route: R;
  index: number;
  segments: Segment[];
  /** One rank per segment (0 literal, 1 param, 2 greedy), compared left to right. */
  ranks: number[];
}

const splitPath = (path: string): string[] => path.split('/').filter((s) => s !== '');

function compileSegment(text: string): Segment {
  const param = /^\{([A-Za-z_][A-Za-z0-9_]*)(\+?)\}$/.exec(text);
  if (!param) return { kind: 'literal', text };
  return param[2] ? { kind: 'greedy', name: param[1]! } : { kind: 'param', name: param[1]! };
}

const RANK = { literal: 0, param: 1, greedy: 2 } as const;

function moreSpecific<R extends RouteTemplate>(a: Compiled<R>, b: Compiled<R>): number {
  const length = Math.max(a.ranks.length, b.ranks.length);
  for (let i = 0; i < length; i++) {
    const ra = a.ranks[i] ?? -1;
    const rb = b.ranks[i] ?? -1;
    if (ra !== rb) return ra - rb;
  }
  const anyA = a.route.method === 'ANY' ? 1 : 0;
  const anyB = b.route.method === 'ANY' ? 1 : 0;
  return anyA - anyB || a.index - b.index;
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

export class RouteTable<R extends RouteTemplate> {
  private readonly compiled: Compiled<R>[];

  constructor(routes: readonly R[] = []) {
    this.compiled = routes
      .map((route, index) => {
        const segments = splitPath(route.path).map(compileSegment);
        return { route, index, segments, ranks: segments.map((s) => RANK[s.kind]) };
      })
      .sort(moreSpecific);
  }

  get size(): number {
    return this.compiled.length;
  }

  /** The most specific route for this method and path, or undefined. `path` is still percent-encoded. */
  match(method: string, path: string): RouteMatch<R> | undefined {
    const parts = splitPath(path);
    for (const candidate of this.compiled) {
      if (candidate.route.method !== 'ANY' && candidate.route.method !== method) continue;
      const params = matchSegments(candidate.segments, parts);
      if (params) return { route: candidate.route, index: candidate.index, params };
    }
    return undefined;
  }

  /** True when some route has this path, whatever its method (to tell 405 from 404). */
  hasPath(path: string): boolean {
    const parts = splitPath(path);
    return this.compiled.some((c) => matchSegments(c.segments, parts) !== undefined);
  }
}

function matchSegments(segments: Segment[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = Object.create(null);
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (segment.kind === 'greedy') {
      if (i >= parts.length) return undefined;
      const rest = parts.slice(i).map(decode);
      if (rest.some((p) => p === undefined)) return undefined;
      params[segment.name] = rest.join('/');
      return params;
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    if (segment.kind === 'literal') {
      if (part !== segment.text && decode(part) !== segment.text) return undefined;
      continue;
    }
    const value = decode(part);
    if (value === undefined || value === '') return undefined;
    params[segment.name] = value;
  }
  return segments.length === parts.length ? params : undefined;
}
