import type { ApiDefinition } from '../api-definition.ts';
import type { ApiRegistry, GatewayEventSink, GatewayStateStore, Probe } from '../ports.ts';
import {
  type ApiServers,
  originOf,
  type ServerHealthChange,
  serverHealthChanges,
  serverHealthEventEntry,
} from '../upstream-alerts.ts';
import { UpstreamPools } from '../upstreams/balancer.ts';
import { type HealthRunOptions, runHealthChecks } from '../upstreams/health-check.ts';
import { PUT_EVENTS_BATCH } from './breaker-events.ts';

export interface ScheduledHealthCheckDeps {
  registry: Pick<ApiRegistry, 'list'>;
  store: Pick<GatewayStateStore, 'readHealth' | 'writeHealth'>;
  probe: Probe;
  /**
   * Tells of the servers whose verdict changed (an event each); resolves with those not told. Their
   * results are not stored this run, so the next run finds the same change and tells it again.
   */
  announce?: (changes: ServerHealthChange[]) => Promise<{ unannounced: ServerHealthChange[] }>;
}

export interface ScheduledHealthCheckSummary {
  apis: number;
  /** Distinct upstream URLs, sandbox ones included. */
  urls: number;
  probed: number;
  failed: number;
  /** Origins (no path, no credentials) of the servers that failed their probe. */
  failing: string[];
  /** Servers whose verdict changed (failing now, or passing again), once per API holding them. */
  changes: ServerHealthChange[];
  /** Changes that could not be told, whose results wait for the next run. */
  unannounced: number;
}

/** The pool key of an API's sandbox upstream (`#` cannot occur in an API name). */
export const sandboxPoolKey = (apiName: string) => `${apiName}#sandbox`;

/** Announces changes as bus events, ten per `PutEvents`; a change whose entry was refused is unannounced. */
export function announceThrough(
  sink: GatewayEventSink,
  busName?: string,
): NonNullable<ScheduledHealthCheckDeps['announce']> {
  return async (changes) => {
    const unannounced: ServerHealthChange[] = [];
    for (let i = 0; i < changes.length; i += PUT_EVENTS_BATCH) {
      const batch = changes.slice(i, i + PUT_EVENTS_BATCH);
      try {
        const { failed } = await sink.put(
          batch.map((change) => serverHealthEventEntry(change.detail, busName)),
        );
        unannounced.push(...failed.map((index) => batch[index]!));
      } catch {
        unannounced.push(...batch);
      }
    }
    return { unannounced };
  };
}

/** The URLs each API sends calls to: its HTTP servers, and its sandbox upstream apart. */
export function serversOfDefinitions(apis: Iterable<ApiDefinition>): ApiServers[] {
  return [...apis].flatMap((api) => [
    {
      api: api.name,
      urls: (api.upstreams ?? []).flatMap((u) => ('url' in u ? [u.url] : [])),
      sandbox: false,
    },
    ...(api.sandboxUpstream ? [{ api: api.name, urls: [api.sandboxUpstream.url], sandbox: true }] : []),
  ]);
}

/**
 * One pool per API (key: its name) and one per sandbox upstream. Only the URLs matter for planning,
 * so weights are left out and repeated URLs kept once: no definition can make the run throw.
 */
export function poolsForDefinitions(apis: Iterable<ApiDefinition>): UpstreamPools {
  return poolsOf(serversOfDefinitions(apis));
}

function poolsOf(servers: readonly ApiServers[]): UpstreamPools {
  const pools = new UpstreamPools();
  for (const { api, urls, sandbox } of servers) {
    const unique = [...new Set(urls)];
    if (unique.length > 0)
      pools.get(
        sandbox ? sandboxPoolKey(api) : api,
        unique.map((url) => ({ url })),
      );
  }
  return pools;
}

/**
 * The scheduled active health check: every upstream of every registered API is a candidate; the plan
 * (`planHealthChecks`) picks the suspects and the healthy ones due, given the results last stored;
 * the new results are stored for the gateway instances to apply to their own pools.
 */
export async function runScheduledHealthCheck(
  { registry, store, probe, announce }: ScheduledHealthCheckDeps,
  now: number,
  options: Omit<HealthRunOptions, 'lastResults'> = {},
): Promise<ScheduledHealthCheckSummary> {
  const [apis, lastResults] = await Promise.all([registry.list(), store.readHealth()]);
  const servers = serversOfDefinitions(apis);
  const pools = poolsOf(servers);
  const urls = new Set([...pools.values()].flatMap((pool) => pool.urls));
  const run = await runHealthChecks(pools.values(), probe, now, { ...options, lastResults });
  const changes = serverHealthChanges(servers, lastResults, run.results);
  const { unannounced } =
    announce && changes.length > 0
      ? await announce(changes).catch(() => ({ unannounced: changes }))
      : { unannounced: [] };
  const withheld = new Set(unannounced.map((change) => change.url));
  const kept = run.results.filter((result) => !withheld.has(result.url));
  if (kept.length > 0) await store.writeHealth(kept);
  const failed = run.results.filter((r) => !r.ok);
  return {
    apis: apis.length,
    urls: urls.size,
    probed: run.results.length,
    failed: failed.length,
    failing: [...new Set(failed.map((r) => originOf(r.url) ?? 'invalid-url'))],
    changes,
    unannounced: unannounced.length,
  };
}
