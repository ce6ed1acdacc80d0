import type { ApiDefinition } from '../api-definition.ts';
import type { ApiRegistry, GatewayStateStore, Probe } from '../ports.ts';
import { UpstreamPools } from '../upstreams/balancer.ts';
import { type HealthRunOptions, runHealthChecks } from '../upstreams/health-check.ts';

export interface ScheduledHealthCheckDeps {
  registry: Pick<ApiRegistry, 'list'>;
  store: Pick<GatewayStateStore, 'readHealth' | 'writeHealth'>;
  probe: Probe;
}

export interface ScheduledHealthCheckSummary {
  apis: number;
  /** Distinct upstream URLs, sandbox ones included. */
  urls: number;
  probed: number;
  failed: number;
  /** Origins (no path, no credentials) of the servers that failed their probe. */
  failing: string[];
}

/** The pool key of an API's sandbox upstream (`#` cannot occur in an API name). */
export const sandboxPoolKey = (apiName: string) => `${apiName}#sandbox`;

/**
 * One pool per API (key: its name) and one per sandbox upstream. Only the URLs matter for planning,
 * so weights are left out and repeated URLs kept once: no definition can make the run throw.
 */
export function poolsForDefinitions(apis: Iterable<ApiDefinition>): UpstreamPools {
  const pools = new UpstreamPools();
  const add = (key: string, urls: string[]) => {
    const unique = [...new Set(urls)];
    if (unique.length > 0)
      pools.get(
        key,
        unique.map((url) => ({ url })),
      );
  };
  for (const api of apis) {
    add(
      api.name,
      (api.upstreams ?? []).map((u) => u.url),
    );
    if (api.sandboxUpstream) add(sandboxPoolKey(api.name), [api.sandboxUpstream.url]);
  }
  return pools;
}

/**
 * The scheduled active health check: every upstream of every registered API is a candidate; the plan
 * (`planHealthChecks`) picks the suspects and the healthy ones due, given the results last stored;
 * the new results are stored for the gateway instances to apply to their own pools.
 */
export async function runScheduledHealthCheck(
  { registry, store, probe }: ScheduledHealthCheckDeps,
  now: number,
  options: Omit<HealthRunOptions, 'lastResults'> = {},
): Promise<ScheduledHealthCheckSummary> {
  const [apis, lastResults] = await Promise.all([registry.list(), store.readHealth()]);
  const pools = poolsForDefinitions(apis);
  const urls = new Set([...pools.values()].flatMap((pool) => pool.urls));
  const run = await runHealthChecks(pools.values(), probe, now, { ...options, lastResults });
  if (run.results.length > 0) await store.writeHealth(run.results);
  const failed = run.results.filter((r) => !r.ok);
  return {
    apis: apis.length,
    urls: urls.size,
    probed: run.results.length,
    failed: failed.length,
    failing: [...new Set(failed.map((r) => originOf(r.url)))],
  };
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'invalid-url';
  }
}
