import type { CallRecord } from './call-record.ts';

/** Latency histogram bucket upper bounds in ms; percentiles are read off these buckets. */
export const LATENCY_BUCKETS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000] as const;

export interface MinuteAggregate {
  /** `api#<name>` or `app#<appId>` */
  dimension: string;
  /** ISO minute, e.g. 2026-11-23T17:42 */
  minute: string;
  count: number;
  errors: number;
  latencySumMs: number;
  /** index i counts calls with latency <= LATENCY_BUCKETS_MS[i]; the last slot counts slower calls */
  buckets: number[];
}

const bucketOf = (latencyMs: number): number => {
  const i = LATENCY_BUCKETS_MS.findIndex((bound) => latencyMs <= bound);
  return i < 0 ? LATENCY_BUCKETS_MS.length : i;
};

/** Folds call records into per-minute aggregates per API and per app. */
export function aggregateByMinute(records: CallRecord[]): MinuteAggregate[] {
  const byKey = new Map<string, MinuteAggregate>();
  for (const record of records) {
    const minute = record.timestamp.slice(0, 16);
    const dimensions = [`api#${record.api}`, ...(record.appId ? [`app#${record.appId}`] : [])];
    for (const dimension of dimensions) {
      const key = `${dimension}|${minute}`;
      let agg = byKey.get(key);
      if (!agg) {
        agg = {
          dimension,
          minute,
          count: 0,
          errors: 0,
          latencySumMs: 0,
          buckets: Array(LATENCY_BUCKETS_MS.length + 1).fill(0),
        };
        byKey.set(key, agg);
      }
      agg.count += 1;
      if (record.status >= 500 || record.errorType) agg.errors += 1;
      agg.latencySumMs += record.latencyMs;
      agg.buckets[bucketOf(record.latencyMs)]! += 1;
    }
  }
  return [...byKey.values()];
}

/** The bucket bound under which `p` (0..1) of the calls fell. */
export function percentileOf(buckets: number[], p: number): number {
  const total = buckets.reduce((a, b) => a + b, 0);
  if (total === 0) return 0;
  let seen = 0;
  for (let i = 0; i < buckets.length; i++) {
    seen += buckets[i]!;
    if (seen >= total * p) return LATENCY_BUCKETS_MS[i] ?? Number.POSITIVE_INFINITY;
  }
  return Number.POSITIVE_INFINITY;
}
