import type { ApiDefinition } from './api-definition.ts';
import type { ApiRegistry } from './ports.ts';

export interface RegistryCacheOptions {
  /** Past this age the catalog version is checked again, in the background: requests never wait for it. */
  checkIntervalMs?: number;
  /**
   * Past this age a request waits for the check: an instance that was idle longer cannot serve a
   * definition older than this, so a change reaches every instance within `maxStalenessMs` + one read.
   */
  maxStalenessMs?: number;
  /**
   * A name missing from the index makes the request check again when the last check is older than
   * this, so a newly registered API answers within about a second; at most one read per this period
   * however many unknown names are asked for.
   */
  missRecheckMs?: number;
  now?: () => number;
  onRefreshError?: (error: unknown) => void;
}

export const REGISTRY_CACHE_DEFAULTS = {
  checkIntervalMs: 4_000,
  maxStalenessMs: 8_000,
  missRecheckMs: 1_000,
} as const;

interface Cached {
  revision: number;
  definition: Promise<ApiDefinition | undefined>;
}

/**
 * The gateway's view of the registry. It knows every API name and revision (the index) and keeps the
 * definitions it has served; a warm instance reads one small item — the catalog version — every few
 * seconds, the index only when that version moved, and a definition only when its revision did. So no
 * request reads DynamoDB in a warm steady state, unknown API names cost at most one read a second, and a
 * definition object stays the same object until its revision changes (per-definition compiled state —
 * schemas, route tables, IP rules — can be kept in a WeakMap keyed by it).
 */
export class RegistryCache {
  private readonly checkIntervalMs: number;
  private readonly maxStalenessMs: number;
  private readonly missRecheckMs: number;
  private readonly now: () => number;
  private index = new Map<string, number>();
  private readonly definitions = new Map<string, Cached>();
  private version: number | undefined;
  private checkedAt = Number.NEGATIVE_INFINITY;
  private checking: Promise<void> | undefined;

  constructor(
    private readonly registry: ApiRegistry,
    private readonly options: RegistryCacheOptions = {},
  ) {
    this.checkIntervalMs = options.checkIntervalMs ?? REGISTRY_CACHE_DEFAULTS.checkIntervalMs;
    this.maxStalenessMs = options.maxStalenessMs ?? REGISTRY_CACHE_DEFAULTS.maxStalenessMs;
    this.missRecheckMs = options.missRecheckMs ?? REGISTRY_CACHE_DEFAULTS.missRecheckMs;
    this.now = options.now ?? Date.now;
  }

  async get(name: string): Promise<ApiDefinition | undefined> {
    const age = this.now() - this.checkedAt;
    if (age >= this.maxStalenessMs) await this.check();
    else if (age >= this.checkIntervalMs) void this.check().catch(() => {});

    let revision = this.index.get(name);
    if (revision === undefined && this.now() - this.checkedAt >= this.missRecheckMs) {
      await this.check();
      revision = this.index.get(name);
    }
    if (revision === undefined) return undefined;
    let cached = this.definitions.get(name);
    if (!cached || cached.revision !== revision) {
      const definition: Promise<ApiDefinition | undefined> = this.registry.get(name);
      cached = { revision, definition };
      this.definitions.set(name, cached);
      definition.catch(() => {
        if (this.definitions.get(name) === cached) this.definitions.delete(name);
      });
    }
    return cached.definition;
  }

  /** Checks the catalog version now (shared by concurrent callers); reloads the index when it moved. */
  check(): Promise<void> {
    this.checking ??= this.load().finally(() => {
      this.checking = undefined;
    });
    return this.checking;
  }

  private async load(): Promise<void> {
    try {
      const version = await this.registry.catalogVersion();
      if (version !== this.version) {
        const entries = await this.registry.index();
        this.index = new Map(entries.map((e) => [e.name, e.revision]));
        for (const name of this.definitions.keys()) if (!this.index.has(name)) this.definitions.delete(name);
        this.version = version;
      }
      this.checkedAt = this.now();
    } catch (error) {
      this.options.onRefreshError?.(error);
      // Serve what is known rather than fail every call while the table is unreachable; the first
      // load of a cold instance has nothing to serve and so fails.
      if (this.version === undefined) throw error;
      this.checkedAt = this.now() - this.checkIntervalMs;
    }
  }
}
