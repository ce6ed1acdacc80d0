/** One record per gateway call, as it lands in the analytics stream. Never carries secrets or bodies. */
export interface CallRecord {
  v: 1;
  kind: 'call';
  requestId: string;
  traceId: string;
  timestamp: string;
  appId?: string;
  clientId?: string;
  api: string;
  method: string;
  path: string;
  status: number;
  latencyMs: number;
  upstreamLatencyMs?: number;
  bytesIn: number;
  bytesOut: number;
  errorType?: string;
  sourceIp: string;
}

export interface AnalyticsSink {
  send(records: CallRecord[]): Promise<void>;
}
