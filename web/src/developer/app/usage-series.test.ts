import { describe, expect, it } from 'vitest';
import type { CallUsage } from '../api/usage.ts';
import { callSeries, usageSummary } from './usage-series.ts';

const figures = (count: number, errors: number) => ({ count, errors, byStatus: {} });

const report: CallUsage = {
  grain: 'minute',
  from: '2030-01-01T10:00:30.000Z',
  to: '2030-01-01T10:04:10.000Z',
  totals: figures(7, 2),
  series: [
    { period: '2030-01-01T10:01:00.000Z', ...figures(5, 2) },
    { period: '2030-01-01T10:03:00.000Z', ...figures(2, 0) },
  ],
};

describe('callSeries', () => {
  it('has a point for every period of the range, quiet ones at zero', () => {
    const start = Date.parse('2030-01-01T10:00:00Z') / 1000;
    expect(callSeries(report)).toEqual({
      times: [start, start + 60, start + 120, start + 180, start + 240],
      calls: [0, 5, 0, 2, 0],
      errors: [0, 2, 0, 0, 0],
    });
  });
});

describe('usageSummary', () => {
  it('puts the chart in words', () => {
    expect(usageSummary(report, 'in the last hour', 'en-US')).toBe(
      '7 calls in the last hour, 2 failed (28.6 %); at most 5 in one minute.',
    );
    expect(usageSummary({ ...report, totals: figures(1, 0), series: [] }, 'today', 'en-US')).toBe(
      '1 call today, none failed; at most 0 in one minute.',
    );
    expect(usageSummary({ ...report, totals: figures(0, 0), series: [] }, 'in the last hour')).toBe(
      'No calls in the last hour.',
    );
  });
});
