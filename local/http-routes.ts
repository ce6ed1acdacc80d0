/** HTTP API route selection: exact segments beat parameters, parameters beat greedy, a method beats ANY. */
export interface RouteMatch<T> {
  route: T;
  routeKey: string;
  pathParameters: Record<string, string>;
}

interface CompiledRoute<T> {
  route: T;
  routeKey: string;
  method: string;
  segments: string[];
  greedy: boolean;
  literals: number;
}

export class RouteTable<T> {
  private readonly routes: CompiledRoute<T>[] = [];
  private fallback: { route: T; routeKey: string } | undefined;

  add(routeKey: string, route: T): void {
    if (routeKey === '$default') {
      this.fallback = { route, routeKey };
      return;
    }
    const [method, path] = routeKey.split(' ') as [string, string];
    const segments = path.split('/').filter(Boolean);
    const greedy = /^\{[^}]+\+\}$/.test(segments.at(-1) ?? '');
    this.routes.push({
      route,
      routeKey,
      method,
      segments,
      greedy,
      literals: segments.filter((s) => !s.startsWith('{')).length,
    });
    this.routes.sort(
      (a, b) =>
        Number(a.greedy) - Number(b.greedy) ||
        b.literals - a.literals ||
        b.segments.length - a.segments.length ||
        Number(a.method === 'ANY') - Number(b.method === 'ANY'),
    );
  }

  match(method: string, rawPath: string): RouteMatch<T> | undefined {
    const parts = rawPath.split('/').filter(Boolean);
    for (const candidate of this.routes) {
      if (candidate.method !== 'ANY' && candidate.method !== method) continue;
      const params = matchSegments(candidate, parts);
      if (params) return { route: candidate.route, routeKey: candidate.routeKey, pathParameters: params };
    }
    return this.fallback ? { ...this.fallback, pathParameters: {} } : undefined;
  }
}

const decode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

function matchSegments<T>(route: CompiledRoute<T>, parts: string[]): Record<string, string> | undefined {
  const fixed = route.greedy ? route.segments.length - 1 : route.segments.length;
  if (route.greedy ? parts.length < route.segments.length : parts.length !== fixed) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < fixed; i++) {
    const segment = route.segments[i]!;
    if (segment.startsWith('{')) params[segment.slice(1, -1)] = decode(parts[i]!);
    else if (segment !== parts[i]) return undefined;
  }
  if (route.greedy) params[route.segments.at(-1)!.slice(1, -2)] = decode(parts.slice(fixed).join('/'));
  return params;
}
