import { TtlCache } from '../cache.ts';
import type { ApiDefinition } from './api-definition.ts';
import type { ApiRegistry } from './ports.ts';

/** Keeps definitions (and misses) in memory so a warm gateway rarely reads the registry table. */
export class CachedRegistry {
  private readonly entries = new Map<string, TtlCache<ApiDefinition | undefined>>();

  constructor(
    private readonly registry: ApiRegistry,
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(name: string): Promise<ApiDefinition | undefined> {
    let entry = this.entries.get(name);
    if (!entry) {
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
      entry = new TtlCache(() => this.registry.get(name), this.ttlMs);
      this.entries.set(name, entry);
    }
    return entry.get();
  }
}
