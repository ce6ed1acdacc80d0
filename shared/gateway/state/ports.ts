import type { BreakerSnapshot } from '../circuit-breaker/breaker.ts';
import type { BreakerEventEntry } from '../circuit-breaker/events.ts';
import type { HealthResult } from '../upstreams/health-check.ts';

/**
 * The state gateway instances share, coarse and eventually consistent: breaker snapshots (merged into
 * each instance's `BreakerRegistry`) and the last active health-check result per upstream URL (applied
 * to each instance's `UpstreamPools`). Never used on the request path.
 *
 * Stored state ages out: a breaker record one hour after its last write, a health result ten minutes
 * after its write. Readers never return an expired record, whether or not the store has removed it.
 */
export interface GatewayStateStore {
  /**
   * Every live breaker record (bounded: a store may cap how many it returns). The snapshot is as
   * stored, unvalidated: `BreakerRegistry.merge` checks it.
   */
  readBreakers(): Promise<StoredBreaker[]>;
  /**
   * Stores a snapshot if the stored record of `key` is absent, expired or of a lower version. Returns
   * false when a record of the same or a higher version is stored (nothing is written).
   */
  writeBreaker(key: string, snapshot: BreakerSnapshot): Promise<boolean>;
  /** The live health results, at most one per URL (bounded like `readBreakers`). */
  readHealth(): Promise<HealthResult[]>;
  /** Stores each result unless a result checked later is already stored for its URL. */
  writeHealth(results: HealthResult[]): Promise<void>;
}

export interface StoredBreaker {
  key: string;
  snapshot: unknown;
}

/** Seconds a breaker record lives after its last write (no open period lasts longer: `openMaxMs` ≤ 1 h). */
export const BREAKER_RECORD_TTL_SECONDS = 3_600;

/** Seconds a health result lives after its write: ten runs of a one-minute schedule. */
export const HEALTH_RECORD_TTL_SECONDS = 600;

/** Most records a read returns; far above the breakers and upstreams a deployment has live at once. */
export const MAX_RECORDS_READ = 2_000;

/** Where breaker transition events go (EventBridge `PutEvents`, or a fake in tests). */
export interface BreakerEventSink {
  /**
   * Publishes at most 10 entries in one call. Resolves with the indices (into `entries`) of the entries
   * that were not accepted; rejects when the call itself failed (then none was accepted).
   */
  put(entries: readonly BreakerEventEntry[]): Promise<{ failed: number[] }>;
}
