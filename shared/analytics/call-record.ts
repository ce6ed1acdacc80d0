import type { DeliveryRecord } from './delivery-record.ts';
import type { RecordSink } from './record-sink.ts';

/** One record per gateway call, as it lands in the analytics stream. Never carries secrets or bodies. */
export interface CallRecord {
  v: 1;
  kind: 'call';
  requestId: string;
  traceId: string;
  timestamp: string;
  appId?: string;
  clientId?: string;
  /** Partner owning the calling app, when it belongs to one. */
  partnerId?: string;
  api: string;
  /** Matched route template, e.g. `GET /orders/{id}`; absent when no route matched. */
  route?: string;
  method: string;
  path: string;
  /** Origin (scheme, host, port) of the upstream server called; never its path or query. */
  upstream?: string;
  /** Answered by the API's mock instead of an upstream. */
  mock?: boolean;
  /** Made with sandbox credentials. */
  sandbox?: boolean;
  status: number;
  latencyMs: number;
  upstreamLatencyMs?: number;
  bytesIn: number;
  bytesOut: number;
  errorType?: string;
  sourceIp: string;
}

/** What the analytics stream carries: gateway calls and message delivery attempts, told apart by `kind`. */
export type AnalyticsRecord = CallRecord | DeliveryRecord;

/** The record a stream entry holds, or undefined when it is not JSON or not a record of a known kind. */
export function decodeAnalyticsRecord(text: string): AnalyticsRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Partial<AnalyticsRecord>;
  if (typeof record.timestamp !== 'string' || Number.isNaN(Date.parse(record.timestamp))) return undefined;
  if (typeof record.latencyMs !== 'number') return undefined;
  if (record.kind === 'call' && typeof record.api === 'string' && typeof record.status === 'number')
    return record as CallRecord;
  if (
    record.kind === 'delivery' &&
    typeof record.topic === 'string' &&
    typeof record.subscriptionId === 'string'
  )
    return record as DeliveryRecord;
  return undefined;
}

/** Delivers records to the analytics stream (record-sink.ts). */
export type AnalyticsSink = RecordSink<AnalyticsRecord>;
