import { describe, expect, it } from 'vitest';
import type { LoadSecond } from '../api/load-runs.ts';
import { loadRunSeries } from './load-run-series.ts';

const startedAt = '2030-01-01T10:00:00.000Z';
const start = Date.parse(startedAt) / 1000;

const second = (overrides: Partial<LoadSecond> & { second: number }): LoadSecond => ({
  sent: 5,
  errors: 0,
  dropped: 0,
  p50Ms: 10,
  p99Ms: 20,
  ...overrides,
});

describe('a load run’s series', () => {
  it('places each second after the run’s start, in order', () => {
    const series = loadRunSeries({
      startedAt,
      series: [second({ second: 1, p50Ms: 12, p99Ms: null }), second({ second: 0, sent: 4, errors: 1 })],
    });
    expect(series?.times).toEqual([start, start + 1]);
    expect(series?.p50).toEqual([10, 12]);
    expect(series?.p99).toEqual([20, null]);
    expect(series?.sent).toEqual([4, 5]);
    expect(series?.errors).toEqual([1, 0]);
    expect(series?.dropped).toEqual([0, 0]);
  });

  it('describes its latency in words', () => {
    const series = loadRunSeries({
      startedAt,
      series: [
        second({ second: 0, p50Ms: 10, p99Ms: 20 }),
        second({ second: 1, p50Ms: 14, p99Ms: 95 }),
        second({ second: 2, p50Ms: null, p99Ms: null }),
      ],
    });
    expect(series?.latencyDescription).toBe(
      'Over 3 seconds, p50 latency per second ran from 10.0 ms to 14.0 ms and p99 from 20.0 ms to 95.0 ms; the slowest second was 1 s in.',
    );
    const unanswered = loadRunSeries({
      startedAt,
      series: [second({ second: 0, p50Ms: null, p99Ms: null })],
    });
    expect(unanswered?.latencyDescription).toBe('No request got an answer, so there is no latency to show.');
  });

  it('describes its requests, errors and dropped requests in words', () => {
    const quiet = loadRunSeries({ startedAt, series: [second({ second: 0 }), second({ second: 1 })] });
    expect(quiet?.requestsDescription).toBe(
      '10 requests sent over 2 seconds, at most 5 in one second. No errors. None dropped.',
    );
    const busy = loadRunSeries({
      startedAt,
      series: [
        second({ second: 0, sent: 2, errors: 1 }),
        second({ second: 1, sent: 3, errors: 2, dropped: 2 }),
        second({ second: 2, sent: 3, errors: 0, dropped: 1 }),
      ],
    });
    expect(busy?.requestsDescription).toBe(
      '8 requests sent over 3 seconds, at most 3 in one second. 3 errors, at most 2 in one second (1 s in). 3 dropped, at most 2 in one second (1 s in).',
    );
  });

  it('needs a start and at least one second', () => {
    expect(loadRunSeries({ startedAt, series: [] })).toBeUndefined();
    expect(loadRunSeries({ startedAt })).toBeUndefined();
    expect(loadRunSeries({ series: [second({ second: 0 })] })).toBeUndefined();
  });
});
