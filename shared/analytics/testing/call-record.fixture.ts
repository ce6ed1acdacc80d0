import type { CallRecord } from '../call-record.ts';

/** A plausible call record for tests: a 200 to `GET /apis/echo/x`; override what the test is about. */
export const sampleCallRecord = (over: Partial<CallRecord> = {}): CallRecord => ({
  v: 1,
  kind: 'call',
  requestId: 'r',
  traceId: 't',
  timestamp: '2026-11-23T17:42:10.000Z',
  api: 'echo',
  method: 'GET',
  path: '/x',
  status: 200,
  latencyMs: 1,
  bytesIn: 0,
  bytesOut: 0,
  sourceIp: '127.0.0.1',
  ...over,
});
