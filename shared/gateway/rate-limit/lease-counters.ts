/** How long a bucket's item is kept after it would be full again (seconds): room for clock skew. */
export const COUNTER_RETENTION_SECONDS = 300;

/** The TTL of a bucket whose `tat` is `tatUs`: past it the bucket is full, as if it had no item. */
export const counterExpiry = (tatUs: number) => Math.ceil(tatUs / 1e6) + COUNTER_RETENTION_SECONDS;

/** The item of a key's bucket: one per key and policy shape, so two policies on a key never share one. */
export const bucketSortKey = (policy: { limit: number; windowSeconds: number; burst?: number }) =>
  `TB#${policy.limit}/${policy.windowSeconds}/${policy.burst ?? policy.limit}`;
