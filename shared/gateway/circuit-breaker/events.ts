import type { TransitionEvent } from './breaker.ts';
import { parseBreakerKey } from './registry.ts';

export const BREAKER_EVENT_SOURCE = 'portico.gateway';
export const BREAKER_EVENT_DETAIL_TYPE = 'Circuit Breaker State Changed';

/**
 * One EventBridge entry (the `PutEvents` entry shape, without the SDK) the gateway publishes: a
 * breaker's state change, a server's health verdict. The source is `portico.gateway`, outside the
 * `biz.*` prefix that routes business messages to ingestion.
 */
export interface GatewayEventEntry {
  EventBusName: string;
  Source: string;
  DetailType: string;
  Time: Date;
  Detail: string;
}

export interface BreakerEventDetail {
  api: string;
  upstream?: string;
  from: TransitionEvent['from'];
  to: TransitionEvent['to'];
  reason: TransitionEvent['reason'];
  at: string;
  episode: string;
  version: number;
  openUntil?: string;
  metrics: TransitionEvent['metrics'];
}

/** A breaker's state change; `detail.at` is the logical instant of the transition from the injected clock. */
export function breakerEventEntry(
  key: string,
  event: TransitionEvent,
  busName = 'portico',
): GatewayEventEntry {
  const detail: BreakerEventDetail = {
    ...parseBreakerKey(key),
    from: event.from,
    to: event.to,
    reason: event.reason,
    at: new Date(event.at).toISOString(),
    episode: event.episode,
    version: event.version,
    ...(event.openUntil !== undefined ? { openUntil: new Date(event.openUntil).toISOString() } : {}),
    metrics: event.metrics,
  };
  return {
    EventBusName: busName,
    Source: BREAKER_EVENT_SOURCE,
    DetailType: BREAKER_EVENT_DETAIL_TYPE,
    Time: new Date(event.at),
    Detail: JSON.stringify(detail),
  };
}
