import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type LoadSample, loadSeries, percentile, summarizeLoad } from './load-summary.ts';

const sent = (dueMs: number, status: number | undefined, latencyMs: number): LoadSample => ({
  kind: 'sent',
  dueMs,
  latencyMs,
  ...(status === undefined ? {} : { status }),
});

describe('load run figures', () => {
  it('takes nearest-rank percentiles', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 0.5)).toBe(50);
    expect(percentile(sorted, 0.99)).toBe(99);
    expect(percentile(sorted, 1)).toBe(100);
    expect(percentile([7], 0.5)).toBe(7);
    expect(percentile([], 0.5)).toBeUndefined();
  });

  it('a percentile is one of the values, and never below a lower one', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(10_000), { minLength: 1 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, q) => {
          const sorted = [...values].sort((a, b) => a - b);
          const p = percentile(sorted, q)!;
          expect(sorted).toContain(p);
          expect(p).toBeLessThanOrEqual(percentile(sorted, Math.min(1, q + 0.1))!);
        },
      ),
    );
  });

  it('counts errors as no answer or another status than expected, and latency over answers only', () => {
    const samples: LoadSample[] = [
      sent(0, 200, 10),
      sent(100, 200, 30),
      sent(200, 503, 20),
      sent(300, undefined, 0),
      { kind: 'dropped', dueMs: 400 },
    ];
    const summary = summarizeLoad(samples, 200, 1, 1_250);
    expect(summary).toEqual({
      planned: 5,
      sent: 4,
      dropped: 1,
      errors: 2,
      errorRate: 0.5,
      statuses: { '200': 2, '503': 1, none: 1 },
      latencyMs: { p50: 20, p90: 30, p99: 30, max: 30, mean: 20 },
      achievedRatePerSecond: 4,
      durationMs: 1_250,
    });
  });

  it('is all zeros when nothing was sent', () => {
    const summary = summarizeLoad([{ kind: 'dropped', dueMs: 0 }], 200, 1, 10);
    expect(summary).toMatchObject({ sent: 0, errors: 0, errorRate: 0, latencyMs: { p50: 0, max: 0 } });
  });

  it('puts each request in the second it was due, every second present', () => {
    const series = loadSeries(
      [sent(0, 200, 10), sent(500, 500, 50), sent(2_100, 200, 5), { kind: 'dropped', dueMs: 2_200 }],
      4,
      200,
    );
    expect(series).toEqual([
      { second: 0, sent: 2, errors: 1, dropped: 0, p50Ms: 10, p99Ms: 50 },
      { second: 1, sent: 0, errors: 0, dropped: 0, p50Ms: null, p99Ms: null },
      { second: 2, sent: 1, errors: 0, dropped: 1, p50Ms: 5, p99Ms: 5 },
      { second: 3, sent: 0, errors: 0, dropped: 0, p50Ms: null, p99Ms: null },
    ]);
  });
});
