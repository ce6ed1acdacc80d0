import { STALE_VIEW_WAIT_MS, settleWithin } from '../cache.ts';
import type { ApiDefinition } from './api-definition.ts';
import type { ApiRegistry } from './ports.ts';

export interface RegistryCacheOptions {
  /** Past this age the catalog version is checked again, in the background: requests never wait for it. */
  checkIntervalMs?: number;
  /**
   * Past this age a request waits for the check: an instance that was idle longer cannot serve a
   * definition older than this, so a change reaches every instance within `maxStalenessMs` + one read.
   * A slow check is waited for at most `staleWaitMs`, and not at all while the registry is failing:
   * the last view is served meanwhile.
   */
  maxStalenessMs?: number;
  /**
   * A name missing from the index makes the request check again when the last check is older than
   * this, so a newly registered API answers within about a second; at most one read per this period
   * however many unknown names are asked for.
   */
  missRecheckMs?: number;
  /** Requests wait for a slow check of a view they have until this long after it started (`shared/cache.ts`). */
  staleWaitMs?: number;
  now?: () => number;
  onRefreshError?: (error: unknown) => void;
}

export const REGISTRY_CACHE_DEFAULTS = {
  checkIntervalMs: 4_000,
  maxStalenessMs: 8_000,
  missRecheckMs: 1_000,
} as const;

const RETRY_AFTER_FAILURE_MS = 1_000;

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
  private readonly staleWaitMs: number;
  private readonly now: () => number;
  private index = new Map<string, number>();
  private readonly definitions = new Map<string, Cached>();
  private version: number | undefined;
  private checkedAt = Number.NEGATIVE_INFINITY;
  private checking: Promise<void> | undefined;
  private checkingSince = 0;
  /** The last check failed: requests answer from the view they have and never wait for the next one. */
  private failing = false;

  constructor(
    private readonly registry: ApiRegistry,
    private readonly options: RegistryCacheOptions = {},
  ) {
    this.checkIntervalMs = options.checkIntervalMs ?? REGISTRY_CACHE_DEFAULTS.checkIntervalMs;
    this.maxStalenessMs = options.maxStalenessMs ?? REGISTRY_CACHE_DEFAULTS.maxStalenessMs;
    this.missRecheckMs = options.missRecheckMs ?? REGISTRY_CACHE_DEFAULTS.missRecheckMs;
    this.staleWaitMs = options.staleWaitMs ?? STALE_VIEW_WAIT_MS;
    this.now = options.now ?? Date.now;
  }

  async get(name: string): Promise<ApiDefinition | undefined> {
    const age = this.now() - this.checkedAt;
    if (age >= this.maxStalenessMs && !this.failing) await this.waitForCheck();
    else if (age >= this.checkIntervalMs) void this.check().catch(() => {});

    let revision = this.index.get(name);
    if (revision === undefined && !this.failing && this.now() - this.checkedAt >= this.missRecheckMs) {
      await this.waitForCheck();
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

  /** A cold instance waits for its first view; a warm one for a slow check only briefly, then serves its view. */
  private waitForCheck(): Promise<void> {
    const check = this.check();
    if (this.version === undefined) return check;
    return settleWithin(check, this.checkingSince + this.staleWaitMs - this.now());
  }

  /** Checks the catalog version now (shared by concurrent callers); reloads the index when it moved. */
  check(): Promise<void> {
    if (!this.checking) this.checkingSince = this.now();
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
      this.failing = false;
    } catch (error) {
      this.options.onRefreshError?.(error);
      // Serve what is known rather than fail every call while the table is unreachable; the first
      // load of a cold instance has nothing to serve and so fails.
      if (this.version === undefined) throw error;
      this.failing = true;
      // The next request checks again in the background, a second from now at the earliest.
      this.checkedAt = this.now() - this.checkIntervalMs + RETRY_AFTER_FAILURE_MS;
    }
  }
}
