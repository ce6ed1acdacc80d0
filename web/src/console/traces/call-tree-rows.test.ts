import { describe, expect, it } from 'vitest';
import type { CallTree, TraceNode } from '../api/logs.ts';
import { callLabel, callRows, reportCount } from './call-tree-rows.ts';

const node = (spanId: string, at: string, latencyMs: number, children: TraceNode[] = []): TraceNode => ({
  spanId,
  requestId: `r-${spanId}`,
  timestamp: `2030-01-01T10:00:${at}Z`,
  api: spanId === 'a' ? 'orders' : 'stock',
  method: 'GET',
  path: `/${spanId}`,
  status: 200,
  ok: true,
  latencyMs,
  errors: [],
  children,
});

const tree = (roots: TraceNode[], durationMs: number): CallTree => ({
  traceId: 't',
  roots,
  calls: 0,
  failed: 0,
  durationMs,
});

describe('the rows of a call tree', () => {
  const root = node('a', '00.000', 1000, [
    node('b', '00.100', 300, [node('c', '00.150', 100)]),
    node('d', '00.500', 400),
  ]);
  const rows = callRows(tree([root], 1000));

  it('read each call followed by the calls it made', () => {
    expect(rows.map((row) => [row.node.spanId, row.depth])).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 3],
      ['d', 2],
    ]);
    expect(rows.map((row) => row.calledBy)).toEqual([
      undefined,
      'orders GET /a',
      'stock GET /b',
      'orders GET /a',
    ]);
  });

  it('place each call on the root’s timeline', () => {
    expect(rows.map((row) => [row.offset, row.width])).toEqual([
      [0, 1],
      [0.1, 0.3],
      [0.15, 0.1],
      [0.5, 0.4],
    ]);
  });

  it('never run a bar past the timeline’s end', () => {
    const late = callRows(tree([node('a', '00.000', 100), node('b', '00.900', 500)], 1000));
    expect(late[1]?.offset).toBe(0.9);
    expect(late[1]?.width).toBeCloseTo(0.1);
  });

  it('give a trace of instant calls a timeline all the same', () => {
    const instant = callRows(tree([node('a', '00.000', 0)], 0));
    expect(instant[0]).toMatchObject({ offset: 0, width: 0 });
  });

  it('are none for an empty tree', () => {
    expect(callRows(tree([], 0))).toEqual([]);
  });

  it('name a call by its API, method and path', () => {
    expect(callLabel(root)).toBe('orders GET /a');
  });
});

describe('the error reports of a trace', () => {
  it('are counted over every call', () => {
    const report = {
      traceId: 't',
      spanId: 'b',
      api: 'stock',
      reportId: 'x',
      reportedAt: '',
      message: 'm',
      keyId: 'k',
    };
    const child = { ...node('b', '00.100', 10), errors: [report, { ...report, reportId: 'y' }] };
    expect(reportCount(tree([node('a', '00.000', 100, [child])], 100))).toBe(2);
  });
});
