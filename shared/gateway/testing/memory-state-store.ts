import type { BreakerSnapshot } from '../circuit-breaker/breaker.ts';
import type { GatewayStateStore, HealthResult, StoredBreaker } from '../ports.ts';
import {
  BREAKER_RECORD_TTL_SECONDS,
  HEALTH_RECORD_TTL_SECONDS,
  MAX_RECORDS_READ,
} from '../state/record-lifetimes.ts';

interface Stored<T> {
  value: T;
  /** Epoch ms. */
  expiresAt: number;
}

/**
 * The store's semantics in memory, for unit tests and simulations (one store shared by many gateway
 * instances): conditional breaker writes on the version, health results kept unless older than the
 * stored one, expiry from the injected clock. Values are copied in and out, as a round trip through
 * DynamoDB would.
 */
export class MemoryStateStore implements GatewayStateStore {
  readonly breakers = new Map<string, Stored<{ snapshot: BreakerSnapshot; version: number }>>();
  readonly health = new Map<string, Stored<HealthResult>>();
  /** Calls by method. */
  readonly calls = { readBreakers: 0, writeBreaker: 0, readHealth: 0, writeHealth: 0 };
  /** When set, every call rejects with it (to exercise failure handling). */
  failure: Error | undefined;

  constructor(private readonly now: () => number = Date.now) {}

  async readBreakers(): Promise<StoredBreaker[]> {
    this.enter('readBreakers');
    return this.live(this.breakers).map(([key, { snapshot }]) => ({
      key,
      snapshot: structuredClone(snapshot),
    }));
  }

  async writeBreaker(key: string, snapshot: BreakerSnapshot): Promise<boolean> {
    this.enter('writeBreaker');
    const stored = this.breakers.get(key);
    if (stored && stored.expiresAt > this.now() && stored.value.version >= snapshot.version) return false;
    this.breakers.set(key, {
      value: { snapshot: structuredClone(snapshot), version: snapshot.version },
      expiresAt: this.now() + BREAKER_RECORD_TTL_SECONDS * 1000,
    });
    return true;
  }

  async readHealth(): Promise<HealthResult[]> {
    this.enter('readHealth');
    return this.live(this.health).map(([, result]) => structuredClone(result));
  }

  async writeHealth(results: HealthResult[]): Promise<void> {
    this.enter('writeHealth');
    for (const result of results) {
      const stored = this.health.get(result.url);
      if (stored && stored.expiresAt > this.now() && stored.value.checkedAt > result.checkedAt) continue;
      this.health.set(result.url, {
        value: structuredClone(result),
        expiresAt: this.now() + HEALTH_RECORD_TTL_SECONDS * 1000,
      });
    }
  }

  private enter(method: keyof MemoryStateStore['calls']): void {
    this.calls[method]++;
    if (this.failure) throw this.failure;
  }

  private live<T>(records: Map<string, Stored<T>>): [string, T][] {
    const now = this.now();
    return [...records]
      .filter(([, record]) => record.expiresAt > now)
      .slice(0, MAX_RECORDS_READ)
      .map(([key, record]) => [key, record.value]);
  }
}
