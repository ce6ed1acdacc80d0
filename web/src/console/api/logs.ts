import { apiFetch } from '../../api/client.ts';
import { queryString, segment } from './query-string.ts';

/** One logged call (`RequestLogRecord`): the members the console shows. */
export interface RequestLogRecord {
  requestId: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  timestamp: string;
  api: string;
  route?: string;
  method: string;
  path: string;
  query?: string;
  status: number;
  latencyMs: number;
  upstreamLatencyMs?: number;
  appId?: string;
  clientId?: string;
  partnerId?: string;
  errorType?: string;
  sandbox?: boolean;
  mock?: boolean;
}

/** `GET /console/v1/logs`: newest first; `incomplete` when the search stopped before the range's end. */
export interface LogSearchResult {
  records: RequestLogRecord[];
  incomplete?: boolean;
  query: Record<string, unknown>;
}

/** The search parameters as the route takes them (`LOG_QUERY_PARAMS`). */
export interface LogSearchParams {
  from?: string;
  to?: string;
  api?: string;
  app?: string;
  status?: string;
  requestId?: string;
  traceId?: string;
  limit?: string;
}

export const searchLogs = (params: LogSearchParams): Promise<LogSearchResult> =>
  apiFetch<LogSearchResult>(`/console/v1/logs${queryString({ ...params })}`);

/** An exception a provider reported against one of its API's calls. */
export interface ErrorReport {
  traceId: string;
  spanId: string;
  api: string;
  reportId: string;
  reportedAt: string;
  occurredAt?: string;
  code?: string;
  message: string;
  detail?: string;
  keyId: string;
}

export interface TraceNode {
  spanId: string;
  parentSpanId?: string;
  requestId: string;
  timestamp: string;
  api: string;
  route?: string;
  method: string;
  path: string;
  appId?: string;
  status: number;
  ok: boolean;
  errorType?: string;
  latencyMs: number;
  upstreamLatencyMs?: number;
  errors: ErrorReport[];
  children: TraceNode[];
}

/** `GET /console/v1/traces/{traceId}`: the calls of a trace as a tree. */
export interface CallTree {
  traceId: string;
  roots: TraceNode[];
  calls: number;
  failed: number;
  /** From the first call's start to the last one's end. */
  durationMs: number;
  incomplete?: boolean;
}

export const fetchTrace = (traceId: string, range: { from?: string; to?: string }): Promise<CallTree> =>
  apiFetch<CallTree>(`/console/v1/traces/${segment(traceId)}${queryString(range)}`);
