/**
 * A small map of values read by a worker, each kept until its own expiry, at most `maxEntries` of them
 * (the least recently used go first). Callers asking for one key at once share one load; a load that
 * fails or finds nothing is not kept. Time is passed in.
 */
export class ExpiringCache<V> {
  private readonly entries = new Map<string, { value: Promise<V | undefined>; until: number }>();

  constructor(private readonly maxEntries: number) {}

  get(key: string, now: number, ttlMs: number, load: () => Promise<V | undefined>): Promise<V | undefined> {
    const hit = this.entries.get(key);
    if (hit && hit.until > now) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.value;
    }
    const value = load();
    const entry = { value, until: now + ttlMs };
    this.store(key, entry);
    const forget = () => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    };
    value.then((found) => found === undefined && forget(), forget);
    return value;
  }

  set(key: string, value: V, until: number): void {
    this.store(key, { value: Promise.resolve(value), until });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  private store(key: string, entry: { value: Promise<V | undefined>; until: number }): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }
}
