import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { callTree, type ErrorReport, errorReportOf } from './call-chain.ts';
import type { RequestLogRecord } from './request-log.ts';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const span = (n: number) => n.toString(16).padStart(16, '0');
const log = (
  n: number,
  parent: number | undefined,
  api: string,
  at: number,
  status = 200,
): RequestLogRecord => ({
  v: 1,
  kind: 'request',
  requestId: `r${n}`,
  traceId: TRACE,
  spanId: span(n),
  ...(parent !== undefined ? { parentSpanId: span(parent) } : {}),
  timestamp: new Date(Date.UTC(2030, 0, 1) + at).toISOString(),
  api,
  method: 'GET',
  path: `/apis/${api}/x`,
  status,
  latencyMs: 10,
  bytesIn: 0,
  bytesOut: 0,
  sourceIp: '203.0.113.9',
  query: '',
  request: { headers: {} },
  response: { headers: {} },
});
const report = (n: number, api: string): ErrorReport => ({
  traceId: TRACE,
  spanId: span(n),
  api,
  reportId: `e${n}${api}`,
  reportedAt: '2030-01-01T00:00:01.000Z',
  message: 'boom',
  keyId: 'pk_x',
});

describe('call trees', () => {
  it('nests calls under their parent span in time order, with their own API’s error reports only', () => {
    // 1 (the caller's span 99 is not a call) → 2 → 4, and 1 → 3 (which failed)
    const tree = callTree(
      TRACE,
      [log(3, 1, 'stock', 5, 503), log(1, 99, 'orders', 0), log(4, 2, 'ledger', 3), log(2, 1, 'payments', 2)],
      [report(2, 'payments'), report(2, 'ledger'), report(7, 'orders')],
    );
    expect(tree.calls).toBe(4);
    expect(tree.failed).toBe(2);
    expect(tree.durationMs).toBe(15);
    const [root] = tree.roots;
    expect(tree.roots).toHaveLength(1);
    expect(root!.api).toBe('orders');
    expect(root!.children.map((c) => c.api)).toEqual(['payments', 'stock']);
    expect(root!.children[0]!.children.map((c) => c.api)).toEqual(['ledger']);
    expect(root!.children[0]!.errors.map((e) => e.api)).toEqual(['payments']);
    expect(root!.children[1]).toMatchObject({ ok: false, status: 503 });
  });

  it('makes a tree of any parent pointers, loops included, keeping every call once', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.nat({ max: 12 }), { nil: undefined }), { minLength: 1, maxLength: 12 }),
        (parents) => {
          const tree = callTree(
            TRACE,
            parents.map((p, i) => log(i, p, 'a', i)),
            [],
          );
          const seen: string[] = [];
          const walk = (nodes: typeof tree.roots) => {
            for (const n of nodes) {
              seen.push(n.spanId);
              walk(n.children);
            }
          };
          walk(tree.roots);
          expect(seen.sort()).toEqual(parents.map((_, i) => span(i)).sort());
          expect(tree.roots.length).toBeGreaterThan(0);
        },
      ),
    );
  });

  it('checks a provider’s report, redacting credential shapes, and refuses malformed ones', () => {
    const context = {
      traceId: TRACE,
      api: 'orders',
      keyId: 'pk_1',
      reportId: 'id',
      now: Date.UTC(2030, 0, 1),
    };
    expect(
      errorReportOf({ spanId: span(1), message: 'failed with Bearer abcdefghijklmnop', code: 'X1' }, context),
    ).toEqual({
      traceId: TRACE,
      spanId: span(1),
      api: 'orders',
      reportId: 'id',
      reportedAt: '2030-01-01T00:00:00.000Z',
      code: 'X1',
      message: 'failed with [REDACTED]',
      keyId: 'pk_1',
    });
    for (const bad of [
      [],
      { message: 'm' },
      { spanId: 'XYZ', message: 'm' },
      { spanId: span(1) },
      { spanId: span(1), message: 'm', api: 'other' },
      { spanId: span(1), message: 'm', occurredAt: 'yesterday' },
      { spanId: span(1), message: 'x'.repeat(1_001) },
    ])
      expect(() => errorReportOf(bad, context), JSON.stringify(bad).slice(0, 60)).toThrow();
    expect(() => errorReportOf({ spanId: span(1), message: 'm' }, { ...context, traceId: 'nope' })).toThrow(
      /trace id/,
    );
  });
});
