/**
 * A mergeable latency histogram with relative accuracy (the DDSketch mapping): a latency x > 0 falls in
 * bucket ⌈log_γ x⌉ with γ = (1 + α) / (1 − α), and a bucket reads as 2γⁱ / (γ + 1), which is within α of
 * every value the bucket holds. So any percentile read off merged buckets — minutes summed into an hour,
 * apps into an API — is within α of the exact percentile of the same calls: exact aggregation is adding
 * bucket counts, and a redelivered batch only has to be kept from being added twice.
 */

/** The relative error of a percentile read off the buckets. */
export const RELATIVE_ACCURACY = 0.01;
const GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
const LOG_GAMMA = Math.log(GAMMA);

/** Latencies at or below this many ms (a mock answering in no measurable time) count as 0. */
const ZERO_MS = 1e-3;

/** Bucket counts by bucket key: `z` for zero, otherwise the bucket index (negative below 1 ms). */
export type BucketCounts = Record<string, number>;

export const ZERO_BUCKET = 'z';

export function bucketKey(latencyMs: number): string {
  if (!(latencyMs > ZERO_MS)) return ZERO_BUCKET;
  return String(Math.ceil(Math.log(latencyMs) / LOG_GAMMA));
}

/** The value a bucket reads as. */
export function bucketValue(key: string): number {
  if (key === ZERO_BUCKET) return 0;
  return (2 * GAMMA ** Number(key)) / (GAMMA + 1);
}

/** Adds `from` into `into`. */
export function mergeBuckets(into: BucketCounts, from: BucketCounts): BucketCounts {
  for (const [key, n] of Object.entries(from)) into[key] = (into[key] ?? 0) + n;
  return into;
}

/**
 * The nearest-rank percentile (`p` in 0..1: the ⌈p·n⌉-th smallest latency) read off the buckets, or
 * undefined when they hold nothing.
 */
export function percentile(buckets: BucketCounts, p: number): number | undefined {
  const keys = Object.keys(buckets).filter((k) => buckets[k]! > 0);
  const total = keys.reduce((sum, k) => sum + buckets[k]!, 0);
  if (total === 0) return undefined;
  const rank = Math.max(1, Math.ceil(p * total));
  keys.sort((a, b) => order(a) - order(b));
  let seen = 0;
  for (const key of keys) {
    seen += buckets[key]!;
    if (seen >= rank) return bucketValue(key);
  }
  return bucketValue(keys.at(-1)!);
}

const order = (key: string) => (key === ZERO_BUCKET ? Number.NEGATIVE_INFINITY : Number(key));

/** The exact nearest-rank percentile of `latencies` (what `percentile` approximates). */
export function exactPercentile(latencies: readonly number[], p: number): number | undefined {
  if (latencies.length === 0) return undefined;
  const sorted = [...latencies].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1]!;
}
