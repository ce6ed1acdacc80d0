import { type BreakerSnapshot, isBreakerSnapshot } from '../circuit-breaker/breaker.ts';
import type { BreakerRegistry } from '../circuit-breaker/registry.ts';
import type { GatewayStateStore } from '../ports.ts';
import type { UpstreamPools } from '../upstreams/balancer.ts';
import { applyHealthResults } from '../upstreams/health-check.ts';

export type SyncStage = 'breakers' | 'health';

export interface GatewayStateSyncOptions {
  store: GatewayStateStore;
  breakers: BreakerRegistry;
  pools: UpstreamPools;
  /** Least time between the starts of two background syncs. Default 3 s. */
  intervalMs?: number;
  now?: () => number;
  /** A stage of a sync failed (the store is unreachable, a write was throttled); the next stage still runs. */
  onError: (error: unknown, stage: SyncStage) => void;
  /** Most breaker writes in one sync; the others wait for the next sync. Default 50. */
  maxWritesPerSync?: number;
}

export interface GatewayStateSyncStats {
  syncs: number;
  /** Syncs in which a stage failed. */
  failedSyncs: number;
  /** Store reads (breakers and health): one DynamoDB Query each, more only past a page. */
  reads: number;
  /** Conditional breaker writes: one PutItem each, refused ones included. */
  writes: number;
  /** Writes refused because the store already held that version or a newer one. */
  refusedWrites: number;
  /** Stored snapshots that changed a local breaker (adopted an episode, or closed it). */
  adopted: number;
  /** Health verdicts the pools accepted. */
  healthApplied: number;
}

const WRITE_CONCURRENCY = 4;

/**
 * Shares the gateway's per-instance state through the store, off the request path. `maybeSync` is
 * called on every request: it is synchronous and O(1), and at most every `intervalMs` it starts one
 * background sync, never two at once; the request never waits for it and it never rejects (failures go
 * to `onError`). Until the next sync each instance decides alone.
 *
 * One sync:
 * 1. reads every breaker record and merges it into the registry (rules on `CircuitBreaker.merge`);
 * 2. writes back the snapshots whose version is above the highest this instance knows the store holds
 *    (what it last wrote or read), open and half-open ones first, with the store's conditional write:
 *    Lamport versions make the store converge to the most severe live episode. Breakers that never
 *    changed (version 0) are never written, nor an episode adopted as it was read;
 * 3. reads the health results and applies them to the pools (a result already applied is ignored).
 */
export class GatewayStateSync {
  readonly stats: GatewayStateSyncStats = {
    syncs: 0,
    failedSyncs: 0,
    reads: 0,
    writes: 0,
    refusedWrites: 0,
    adopted: 0,
    healthApplied: 0,
  };
  private readonly store: GatewayStateStore;
  private readonly breakers: BreakerRegistry;
  private readonly pools: UpstreamPools;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly onError: GatewayStateSyncOptions['onError'];
  private readonly maxWritesPerSync: number;
  /** Per breaker key, the highest version known to be in the store. */
  private storedVersions = new Map<string, number>();
  private running: Promise<void> | undefined;
  private lastStartedAt = Number.NEGATIVE_INFINITY;

  constructor(options: GatewayStateSyncOptions) {
    this.store = options.store;
    this.breakers = options.breakers;
    this.pools = options.pools;
    this.intervalMs = options.intervalMs ?? 3_000;
    this.now = options.now ?? Date.now;
    this.onError = options.onError;
    this.maxWritesPerSync = Math.max(1, options.maxWritesPerSync ?? 50);
  }

  /** Whether a sync is in progress. */
  get syncing(): boolean {
    return this.running !== undefined;
  }

  /** Starts a background sync if the last one started `intervalMs` ago or more and none is running. */
  maybeSync(): void {
    if (this.running) return;
    try {
      if (this.now() - this.lastStartedAt < this.intervalMs) return;
      this.start();
    } catch (error) {
      this.report(error, 'breakers');
    }
  }

  /** Runs a sync now (after the one in progress, if any) and resolves when it is done; failures go to `onError`. */
  async syncNow(): Promise<void> {
    while (this.running) await this.running;
    this.start();
    await this.running;
  }

  private start(): void {
    this.lastStartedAt = this.now();
    const run: Promise<void> = this.sync().finally(() => {
      if (this.running === run) this.running = undefined;
    });
    this.running = run;
  }

  private async sync(): Promise<void> {
    this.stats.syncs++;
    const breakersOk = await this.stage('breakers', () => this.syncBreakers());
    const healthOk = await this.stage('health', () => this.syncHealth());
    if (!breakersOk || !healthOk) this.stats.failedSyncs++;
  }

  private async stage(stage: SyncStage, run: () => Promise<void>): Promise<boolean> {
    try {
      await run();
      return true;
    } catch (error) {
      this.report(error, stage);
      return false;
    }
  }

  private async syncBreakers(): Promise<void> {
    this.stats.reads++;
    const records = await this.store.readBreakers();
    const read = new Map<string, BreakerSnapshot>();
    const mergedAt = this.now();
    for (const { key, snapshot } of records) {
      const outcome = this.breakers.merge(key, snapshot, mergedAt);
      if (outcome === 'adopted' || outcome === 'closed-by-remote') this.stats.adopted++;
      if (isBreakerSnapshot(snapshot)) read.set(key, snapshot);
    }

    // Keys the registry no longer holds are forgotten, so this map never outgrows the registry.
    const known = new Map<string, number>();
    const due: { key: string; snapshot: BreakerSnapshot }[] = [];
    for (const entry of this.breakers.snapshots(this.now())) {
      const record = read.get(entry.key);
      let stored = Math.max(this.storedVersions.get(entry.key) ?? 0, Math.floor(record?.version ?? 0));
      // Adopting a record bumps the local version without changing what it says: nothing to write.
      if (record && entry.snapshot.version > stored && sameContent(entry.snapshot, record)) {
        stored = entry.snapshot.version;
      }
      known.set(entry.key, stored);
      if (entry.snapshot.version > stored) due.push(entry);
    }
    this.storedVersions = known;
    due.sort((a, b) => Number(b.snapshot.state !== 'closed') - Number(a.snapshot.state !== 'closed'));
    await this.writeAll(due.slice(0, this.maxWritesPerSync));
  }

  /** Writes each snapshot (a few at a time), then rethrows the first failure, if any. */
  private async writeAll(entries: { key: string; snapshot: BreakerSnapshot }[]): Promise<void> {
    let next = 0;
    let failure: { error: unknown } | undefined;
    const worker = async () => {
      while (next < entries.length) {
        const { key, snapshot } = entries[next++]!;
        try {
          this.stats.writes++;
          if (!(await this.store.writeBreaker(key, snapshot))) this.stats.refusedWrites++;
          // Written or refused, the store now holds at least this version.
          this.storedVersions.set(key, Math.max(this.storedVersions.get(key) ?? 0, snapshot.version));
        } catch (error) {
          failure ??= { error };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(WRITE_CONCURRENCY, entries.length) }, worker));
    if (failure) throw failure.error;
  }

  private async syncHealth(): Promise<void> {
    this.stats.reads++;
    const results = await this.store.readHealth();
    this.stats.healthApplied += applyHealthResults(this.pools.values(), results);
  }

  private report(error: unknown, stage: SyncStage): void {
    try {
      this.onError(error, stage);
    } catch {
      // A failing error handler must not turn into an unhandled rejection.
    }
  }
}

/** Same state of the same episode, ending at the same time: one says nothing the other does not. */
function sameContent(a: BreakerSnapshot, b: BreakerSnapshot): boolean {
  return (
    a.state === b.state &&
    a.episode === b.episode &&
    a.openUntil === b.openUntil &&
    a.backoffLevel === b.backoffLevel
  );
}
