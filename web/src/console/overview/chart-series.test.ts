import { describe, expect, it } from 'vitest';
import type { CallFigures, CallUsageReport } from '../api/analytics.ts';
import { chartDescriptions, usageSeries } from './chart-series.ts';

const figures = (count: number, errors: number, p50: number, p99: number): CallFigures => ({
  count,
  errors,
  byStatus: {},
  byError: {},
  latencyMs: { p50, p95: p99, p99 },
  bytesIn: 0,
  bytesOut: 0,
});

const report = (overrides: Partial<CallUsageReport> = {}): CallUsageReport => ({
  kind: 'calls',
  filters: {},
  grain: 'minute',
  from: '2030-01-01T10:00:30.000Z',
  to: '2030-01-01T10:04:10.000Z',
  totals: figures(30, 3, 4, 90),
  series: [
    { period: '2030-01-01T10:01:00.000Z', ...figures(10, 0, 3, 20) },
    { period: '2030-01-01T10:03:00.000Z', ...figures(20, 3, 5, 90) },
  ],
  ...overrides,
});

describe('usage series', () => {
  it('have one entry per period of the range, quiet ones as no calls', () => {
    const series = usageSeries(report());
    expect(series.times).toEqual([0, 1, 2, 3, 4].map((m) => Date.parse(`2030-01-01T10:0${m}:00Z`) / 1000));
    expect(series.calls).toEqual([0, 10, 0, 20, 0]);
  });

  it('leave the error rate and latency of a quiet period out, not zero', () => {
    const series = usageSeries(report());
    expect(series.errorPercent).toEqual([null, 0, null, 15, null]);
    expect(series.p50).toEqual([null, 3, null, 5, null]);
    expect(series.p99).toEqual([null, 20, null, 90, null]);
  });

  it('step by the report’s grain', () => {
    const series = usageSeries(
      report({ grain: 'hour', from: '2030-01-01T00:00:00.000Z', to: '2030-01-01T23:59:00.000Z', series: [] }),
    );
    expect(series.times).toHaveLength(24);
    expect(series.calls.every((n) => n === 0)).toBe(true);
  });
});

describe('chart descriptions', () => {
  it('give the totals and the extremes', () => {
    const r = report();
    const text = chartDescriptions(r, usageSeries(r), 'all APIs', 'en');
    expect(text.calls).toBe('30 calls to all APIs in total; at most 20 in one minute.');
    expect(text.errors).toBe('3 of 30 calls failed (10 %); the worst minute had 15 % failing.');
    expect(text.latency).toBe(
      'Latency over the range: p50 4.00 ms, p99 90.0 ms; the slowest minute had a p99 of 90.0 ms.',
    );
  });

  it('say when there were no calls', () => {
    const r = report({
      totals: { count: 0, errors: 0, byStatus: {}, byError: {}, bytesIn: 0, bytesOut: 0 },
      series: [],
    });
    const text = chartDescriptions(r, usageSeries(r), 'API echo');
    expect(text.calls).toBe('No calls to API echo in this range.');
    expect(text.latency).toBe('No calls, so no latency.');
  });
});
