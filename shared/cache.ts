/**
 * A value loaded on demand and kept for `ttlMs`. Concurrent callers share one load, and a failed
 * refresh keeps serving the last good value (stale beats down for configuration and keys).
 */
export class TtlCache<T> {
  private value: { data: T; loadedAt: number } | undefined;
  private inflight: Promise<T> | undefined;

  constructor(
    private readonly load: () => Promise<T>,
    private readonly ttlMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  async get(): Promise<T> {
    if (this.value && this.clock() - this.value.loadedAt < this.ttlMs) return this.value.data;
    return this.refresh();
  }

  /** Loads now, unless the value is younger than `minAgeMs` (protects the store from refresh storms). */
  async refresh(minAgeMs = 0): Promise<T> {
    if (this.value && minAgeMs > 0 && this.clock() - this.value.loadedAt < minAgeMs) return this.value.data;
    this.inflight ??= this.load()
      .then((data) => {
        this.value = { data, loadedAt: this.clock() };
        return data;
      })
      .catch((error) => {
        if (this.value) return this.value.data;
        throw error;
      })
      .finally(() => {
        this.inflight = undefined;
      });
    return this.inflight;
  }
}
