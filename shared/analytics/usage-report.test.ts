import { describe, expect, it } from 'vitest';
import { cellsOf } from './aggregate-cells.ts';
import { exactPercentile } from './latency-sketch.ts';
import { sampleCallRecord } from './testing/call-record.fixture.ts';
import { sumCells } from './testing/sum-cells.ts';
import { dimensionOf, usageRange, usageReport } from './usage-report.ts';

const NOW = Date.parse('2030-01-01T12:00:00Z');

describe('usage reports', () => {
  it('reads each supported filter combination from its dimension, and names them when refusing', () => {
    expect(dimensionOf('calls', {})).toBe('calls');
    expect(dimensionOf('calls', { api: 'orders', route: 'GET /orders/{id}' })).toBe(
      'calls#api=orders#route=GET /orders/{id}',
    );
    expect(dimensionOf('calls', { app: 'a1', api: 'orders' })).toBe('calls#app=a1#api=orders');
    expect(dimensionOf('deliveries', { subscription: 's1' })).toBe('deliveries#subscription=s1');
    expect(() => dimensionOf('calls', { route: 'GET /x' })).toThrow(/api \+ route/);
    expect(() => dimensionOf('calls', { app: 'a', partner: 'p' })).toThrow(/filtered by/);
    expect(() => dimensionOf('calls', { api: 'a#b' })).toThrow(/without "#"/);
    expect(() => dimensionOf('calls', { api: '' })).toThrow(/1–256/);
  });

  it('defaults to the last hour by minute and picks a coarser grain for longer ranges', () => {
    expect(usageRange({}, NOW)).toEqual({
      grain: 'minute',
      from: '2030-01-01T11:00:00.000Z',
      to: '2030-01-01T12:00:00.000Z',
    });
    expect(usageRange({ from: '2029-12-25T00:00:00Z' }, NOW).grain).toBe('hour');
    expect(usageRange({ from: '2029-06-01T00:00:00Z' }, NOW).grain).toBe('day');
    expect(usageRange({ from: '2029-12-31', to: '2030-01-01', grain: 'hour' }, NOW).grain).toBe('hour');
  });

  it('refuses a range it cannot answer', () => {
    expect(() => usageRange({ from: 'yesterday' }, NOW)).toThrow(/ISO 8601/);
    expect(() => usageRange({ from: '2030-01-02T00:00:00Z', to: '2030-01-01T00:00:00Z' }, NOW)).toThrow(
      /after/,
    );
    expect(() => usageRange({ grain: 'week' }, NOW)).toThrow(/minute, hour or day/);
    expect(() => usageRange({ from: '2029-01-01T00:00:00Z', grain: 'minute' }, NOW)).toThrow(/coarser/);
  });

  it('sums the cells into totals and a series, with statuses, errors and percentiles gathered', () => {
    const latencies = [3, 7, 12, 40, 41, 300];
    const cells = sumCells(
      latencies.flatMap((latencyMs, i) =>
        cellsOf(
          sampleCallRecord({
            latencyMs,
            status: i === 5 ? 504 : 200,
            ...(i === 5 ? { errorType: 'upstream-timeout' } : {}),
            timestamp: `2030-01-01T11:0${i % 2}:00Z`,
          }),
        ).filter((c) => c.dimension === 'calls' && c.period.startsWith('MIN#')),
      ),
    ).sort((a, b) => (a.period < b.period ? -1 : 1));
    const report = usageReport('calls', {}, usageRange({}, NOW), cells);
    expect(report.totals).toMatchObject({
      count: 6,
      errors: 1,
      byStatus: { '2xx': 5, '5xx': 1 },
      byError: { 'upstream-timeout': 1 },
    });
    expect(report.totals.latencyMs!.mean).toBeCloseTo(latencies.reduce((a, b) => a + b) / 6, 3);
    expect(report.totals.latencyMs!.p50).toBeCloseTo(exactPercentile(latencies, 0.5)!, -1);
    expect(report.series.map((p) => [p.period, p.count])).toEqual([
      ['2030-01-01T11:00:00.000Z', 3],
      ['2030-01-01T11:01:00.000Z', 3],
    ]);
    expect(usageReport('calls', {}, usageRange({}, NOW), []).totals).toEqual({
      count: 0,
      errors: 0,
      byStatus: {},
      byError: {},
      bytesIn: 0,
      bytesOut: 0,
    });
  });
});
