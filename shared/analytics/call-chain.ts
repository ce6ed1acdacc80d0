import { DomainError } from '../kernel/errors.ts';
import { redactValues } from './redaction.ts';
import type { RequestLogRecord } from './request-log.ts';

/** An exception a provider reports against one of its API's calls (seed 002: the SDK reports it back). */
export interface ErrorReport {
  traceId: string;
  spanId: string;
  /** The API whose provider credential sent it: shown only on that API's calls. */
  api: string;
  reportId: string;
  reportedAt: string;
  /** When the provider saw it, as it says. */
  occurredAt?: string;
  code?: string;
  message: string;
  detail?: string;
  /** The provider credential that sent it. */
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

export interface CallTree {
  traceId: string;
  /** Calls whose parent is not a call of this trace (the caller's own span, or none). */
  roots: TraceNode[];
  calls: number;
  failed: number;
  /** From the first call's start to the last one's end. */
  durationMs: number;
}

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;

export function checkTraceId(traceId: string): string {
  if (!TRACE_ID.test(traceId))
    throw new DomainError('bad-request', 'A trace id is 32 lower-case hex digits.');
  return traceId;
}

const byTime = (a: TraceNode, b: TraceNode) =>
  a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0;

/**
 * The call tree of a trace: each call a node under the call whose span is its parent, children in time
 * order, each with the error reports its API's provider sent against its span. A parent pointer that
 * would close a loop (a caller may send any traceparent) is cut, making that call a root.
 */
export function callTree(
  traceId: string,
  records: readonly RequestLogRecord[],
  reports: readonly ErrorReport[],
): CallTree {
  const nodes = new Map<string, TraceNode>();
  for (const r of records) {
    if (r.traceId !== traceId || nodes.has(r.spanId)) continue;
    nodes.set(r.spanId, {
      spanId: r.spanId,
      ...(r.parentSpanId ? { parentSpanId: r.parentSpanId } : {}),
      requestId: r.requestId,
      timestamp: r.timestamp,
      api: r.api,
      ...(r.route ? { route: r.route } : {}),
      method: r.method,
      path: r.path,
      ...(r.appId ? { appId: r.appId } : {}),
      status: r.status,
      ok: r.status < 500 && !r.errorType,
      ...(r.errorType ? { errorType: r.errorType } : {}),
      latencyMs: r.latencyMs,
      ...(r.upstreamLatencyMs !== undefined ? { upstreamLatencyMs: r.upstreamLatencyMs } : {}),
      errors: [],
      children: [],
    });
  }
  for (const report of reports) {
    const node = nodes.get(report.spanId);
    if (node && node.api === report.api) node.errors.push(report);
  }
  const roots: TraceNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentSpanId ? nodes.get(node.parentSpanId) : undefined;
    if (parent && !isAncestor(node, parent, nodes)) parent.children.push(node);
    else roots.push(node);
  }
  for (const node of nodes.values()) {
    node.children.sort(byTime);
    node.errors.sort((a, b) => (a.reportedAt < b.reportedAt ? -1 : 1));
  }
  const all = [...nodes.values()];
  const start = Math.min(...all.map((n) => Date.parse(n.timestamp)));
  const end = Math.max(...all.map((n) => Date.parse(n.timestamp) + n.latencyMs));
  return {
    traceId,
    roots: roots.sort(byTime),
    calls: all.length,
    failed: all.filter((n) => !n.ok || n.errors.length > 0).length,
    durationMs: all.length ? Math.round((end - start) * 1000) / 1000 : 0,
  };
}

/** Whether `node` is `candidate` or above it, following parents (bounded by the number of nodes). */
function isAncestor(node: TraceNode, candidate: TraceNode, nodes: ReadonlyMap<string, TraceNode>): boolean {
  let current: TraceNode | undefined = candidate;
  for (let steps = 0; current && steps <= nodes.size; steps++) {
    if (current === node) return true;
    current = current.parentSpanId ? nodes.get(current.parentSpanId) : undefined;
  }
  return false;
}

const text = (value: unknown, max: number, name: string, required = false): string | undefined => {
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > max)
    throw new DomainError('validation-failed', `${name} must be a string of 1 to ${max} characters.`, {
      errors: [{ pointer: `/${name}`, message: `must be a string of 1 to ${max} characters` }],
    });
  return value;
};

/** A provider's report as sent (`POST /v1/traces/{traceId}/errors`), checked; 400 when malformed. */
export function errorReportOf(
  body: unknown,
  context: { traceId: string; api: string; keyId: string; reportId: string; now: number },
): ErrorReport {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new DomainError('bad-request', 'The body must be a JSON object.');
  const input = body as Record<string, unknown>;
  const unknown = Object.keys(input).filter(
    (k) => !['spanId', 'code', 'message', 'detail', 'occurredAt'].includes(k),
  );
  if (unknown.length)
    throw new DomainError('bad-request', `Unknown field: ${unknown.join(', ').slice(0, 100)}.`);
  const spanId = text(input.spanId, 16, 'spanId', true)!;
  if (!SPAN_ID.test(spanId))
    throw new DomainError(
      'bad-request',
      'spanId is 16 lower-case hex digits (the span in the traceparent the call carried).',
    );
  const occurredAt = text(input.occurredAt, 40, 'occurredAt');
  if (occurredAt !== undefined && Number.isNaN(Date.parse(occurredAt)))
    throw new DomainError('bad-request', 'occurredAt must be an ISO 8601 time.');
  const code = text(input.code, 100, 'code');
  const detail = text(input.detail, 8_000, 'detail');
  return {
    traceId: checkTraceId(context.traceId),
    spanId,
    api: context.api,
    reportId: context.reportId,
    reportedAt: new Date(context.now).toISOString(),
    ...(occurredAt ? { occurredAt: new Date(occurredAt).toISOString() } : {}),
    ...(code ? { code } : {}),
    // A provider's stack trace may hold a credential: its shapes are redacted as in the request log.
    message: redactValues(text(input.message, 1_000, 'message', true)!),
    ...(detail ? { detail: redactValues(detail) } : {}),
    keyId: context.keyId,
  };
}
