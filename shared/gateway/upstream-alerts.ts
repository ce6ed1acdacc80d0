import {
  BREAKER_EVENT_DETAIL_TYPE,
  BREAKER_EVENT_SOURCE,
  type BreakerEventDetail,
  type GatewayEventEntry,
} from './circuit-breaker/events.ts';
import type { HealthResult } from './ports.ts';
import { latestByUrl } from './upstreams/health-check.ts';

/** Where the gateway's health-check verdicts go on the bus, beside breaker state changes. */
export const SERVER_HEALTH_DETAIL_TYPE = 'Upstream Server Health Changed';

/**
 * What an API's provider is told about its servers (topic `portico.upstream-alerts`): its breaker
 * opened or closed again, or the scheduled health check found one of its servers failing (the gateway
 * stops sending it calls) or answering again.
 */
export interface UpstreamAlert {
  type: 'breaker.opened' | 'breaker.closed' | 'server.ejected' | 'server.recovered';
  api: string;
  /** The server's origin (scheme, host, port): never its path, query or credentials. */
  server?: string;
  /** The API's sandbox upstream, not a production server. */
  sandbox?: boolean;
  at: string;
  reason?: string;
  /** When the gateway will let a trial call through again (`breaker.opened`). */
  openUntil?: string;
  /** What makes two reports of the same happening one: a breaker episode, a probe run. */
  occurrence: string;
}

/** The detail of a `Upstream Server Health Changed` event: one server of one API changed verdict. */
export interface ServerHealthDetail {
  api: string;
  server: string;
  sandbox: boolean;
  healthy: boolean;
  at: string;
  latencyMs: number;
  error?: HealthResult['error'];
}

/** The origin of a URL, or nothing when it is not one. */
export function originOf(url: string): string | undefined {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

/** A breaker that opened, or closed after its probes succeeded; other moves are not the provider's news. */
export function alertOfBreakerEvent(detail: BreakerEventDetail): UpstreamAlert | undefined {
  const server = detail.upstream === undefined ? undefined : originOf(detail.upstream);
  const common = { api: detail.api, ...(server ? { server } : {}), at: detail.at };
  if (detail.to === 'open') {
    return {
      type: 'breaker.opened',
      ...common,
      reason: detail.reason,
      ...(detail.openUntil ? { openUntil: detail.openUntil } : {}),
      occurrence: `${detail.episode}/${detail.from}`,
    };
  }
  if (detail.to === 'closed' && detail.from !== 'closed') {
    return { type: 'breaker.closed', ...common, reason: detail.reason, occurrence: detail.episode };
  }
  return undefined;
}

export function alertOfServerHealth(detail: ServerHealthDetail): UpstreamAlert {
  return {
    type: detail.healthy ? 'server.recovered' : 'server.ejected',
    api: detail.api,
    server: detail.server,
    ...(detail.sandbox ? { sandbox: true } : {}),
    at: detail.at,
    ...(detail.healthy
      ? {}
      : { reason: detail.error ?? `health check failed after ${Math.round(detail.latencyMs)} ms` }),
    occurrence: detail.at,
  };
}

/** A server's changed verdict, with the URL probed (kept out of the event). */
export interface ServerHealthChange {
  url: string;
  detail: ServerHealthDetail;
}

/** The URLs an API's pools hold: its servers, and its sandbox upstream apart. */
export interface ApiServers {
  api: string;
  urls: string[];
  sandbox: boolean;
}

/**
 * The verdicts of a health-check run that changed: a server failing that was not known to fail
 * (a first failure counts), or passing after it failed. One per API holding the URL, so each
 * provider hears of its own servers; a URL that is not a valid origin is left out.
 */
export function serverHealthChanges(
  pools: Iterable<ApiServers>,
  previous: Iterable<HealthResult>,
  results: Iterable<HealthResult>,
): ServerHealthChange[] {
  const before = latestByUrl(previous);
  const changed = [...results].filter((result) => {
    const last = before.get(result.url);
    return result.ok ? last?.ok === false : last?.ok !== false;
  });
  const changes: ServerHealthChange[] = [];
  const poolList = [...pools];
  for (const result of changed) {
    const server = originOf(result.url);
    if (!server) continue;
    for (const pool of poolList) {
      if (!pool.urls.includes(result.url)) continue;
      changes.push({
        url: result.url,
        detail: {
          api: pool.api,
          server,
          sandbox: pool.sandbox,
          healthy: result.ok,
          at: new Date(result.checkedAt).toISOString(),
          latencyMs: result.latencyMs,
          ...(result.error ? { error: result.error } : {}),
        },
      });
    }
  }
  return changes;
}

export function serverHealthEventEntry(detail: ServerHealthDetail, busName = 'portico'): GatewayEventEntry {
  return {
    EventBusName: busName,
    Source: BREAKER_EVENT_SOURCE,
    DetailType: SERVER_HEALTH_DETAIL_TYPE,
    Time: new Date(detail.at),
    Detail: JSON.stringify(detail),
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

/**
 * The alert an event of the bus (as a rule hands it on) carries, or nothing: another source or type,
 * a transition providers are not told, or a detail that lacks what an alert needs.
 */
export function alertOfBusEvent(event: unknown): UpstreamAlert | undefined {
  if (!isRecord(event) || event.source !== BREAKER_EVENT_SOURCE) return undefined;
  const detail = event.detail;
  if (!isRecord(detail) || !isString(detail.api) || !isString(detail.at)) return undefined;
  if (Number.isNaN(Date.parse(detail.at))) return undefined;
  if (event['detail-type'] === BREAKER_EVENT_DETAIL_TYPE) {
    if (!isString(detail.to) || !isString(detail.from) || !isString(detail.episode)) return undefined;
    return alertOfBreakerEvent(detail as unknown as BreakerEventDetail);
  }
  if (event['detail-type'] === SERVER_HEALTH_DETAIL_TYPE) {
    const server = isString(detail.server) ? originOf(detail.server) : undefined;
    if (!server || typeof detail.healthy !== 'boolean') return undefined;
    return alertOfServerHealth({
      api: detail.api,
      server,
      sandbox: detail.sandbox === true,
      healthy: detail.healthy,
      at: detail.at,
      latencyMs: typeof detail.latencyMs === 'number' ? detail.latencyMs : 0,
      ...(detail.error === 'timeout' || detail.error === 'probe-error' ? { error: detail.error } : {}),
    });
  }
  return undefined;
}
