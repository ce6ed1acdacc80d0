import { describe, expect, it, vi } from 'vitest';
import type { BreakerSnapshot } from '../circuit-breaker/breaker.ts';
import { BreakerRegistry } from '../circuit-breaker/registry.ts';
import type { BreakerSettings } from '../circuit-breaker/settings.ts';
import type { GatewayStateStore, HealthResult, StoredBreaker } from '../ports.ts';
import { MemoryStateStore } from '../testing/memory-state-store.ts';
import { UpstreamPools } from '../upstreams/balancer.ts';
import { GatewayStateSync, type GatewayStateSyncOptions } from './state-sync.ts';

const FAST: Partial<BreakerSettings> = { consecutiveFailures: 2, openBaseMs: 10_000, openMaxMs: 40_000 };
const START = 1_700_000_000_000;

class Clock {
  t = START;
  readonly now = () => this.t;
}

function trip(registry: BreakerRegistry, api: string, now: number): void {
  const breaker = registry.get(api, undefined, FAST);
  for (let i = 0; i < FAST.consecutiveFailures!; i++) {
    const a = breaker.tryAcquire(now);
    if (a.permitted) a.permit.failure(now);
  }
  expect(breaker.state(now)).toBe('open');
}

function instance(
  id: string,
  store: GatewayStateStore,
  clock: Clock,
  extra: Partial<GatewayStateSyncOptions> = {},
) {
  const breakers = new BreakerRegistry({ instanceId: id, defaults: FAST });
  const pools = new UpstreamPools({ random: () => 0, clock: clock.now });
  const errors: unknown[] = [];
  const sync = new GatewayStateSync({
    store,
    breakers,
    pools,
    now: clock.now,
    onError: (error) => errors.push(error),
    ...extra,
  });
  return { breakers, pools, sync, errors };
}

const snapshotOf = (registry: BreakerRegistry, key: string, now: number): BreakerSnapshot | undefined =>
  registry.snapshots(now).find((s) => s.key === key)?.snapshot;

/** A store whose reads wait until released, to hold a sync in progress. */
class GatedStore implements GatewayStateStore {
  readonly inner: MemoryStateStore;
  private gate: { promise: Promise<void>; release: () => void } | undefined;
  inFlight = 0;
  maxInFlight = 0;

  constructor(now: () => number) {
    this.inner = new MemoryStateStore(now);
  }

  hold(): void {
    let release!: () => void;
    const promise = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.gate = { promise, release };
  }

  release(): void {
    const gate = this.gate;
    this.gate = undefined;
    gate?.release();
  }

  private async through<T>(call: () => Promise<T>): Promise<T> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await this.gate?.promise;
      return await call();
    } finally {
      this.inFlight--;
    }
  }

  readBreakers(): Promise<StoredBreaker[]> {
    return this.through(() => this.inner.readBreakers());
  }
  writeBreaker(key: string, snapshot: BreakerSnapshot): Promise<boolean> {
    return this.through(() => this.inner.writeBreaker(key, snapshot));
  }
  readHealth(): Promise<HealthResult[]> {
    return this.through(() => this.inner.readHealth());
  }
  writeHealth(results: HealthResult[]): Promise<void> {
    return this.through(() => this.inner.writeHealth(results));
  }
}

describe('GatewayStateSync: breakers', () => {
  it('converges two instances that tripped on their own to the same open episode', async () => {
    const clock = new Clock();
    const store = new MemoryStateStore(clock.now);
    const a = instance('a', store, clock);
    const b = instance('b', store, clock);

    trip(a.breakers, 'orders', clock.t);
    clock.t += 1_000;
    trip(b.breakers, 'orders', clock.t); // ends later: the episode both must end up in
    const bEpisode = snapshotOf(b.breakers, 'orders', clock.t)!.episode;
    expect(snapshotOf(a.breakers, 'orders', clock.t)!.episode).not.toBe(bEpisode);

    await a.sync.syncNow();
    await b.sync.syncNow();
    await a.sync.syncNow();
    await b.sync.syncNow();

    const sa = snapshotOf(a.breakers, 'orders', clock.t)!;
    const sb = snapshotOf(b.breakers, 'orders', clock.t)!;
    expect(sa).toMatchObject({ state: 'open', episode: bEpisode });
    expect(sb).toMatchObject({ state: 'open', episode: bEpisode, openUntil: sa.openUntil });
    expect(store.breakers.get('orders')!.value.snapshot.episode).toBe(bEpisode);
    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);

    // Converged: further syncs read but write nothing.
    const writes = store.calls.writeBreaker;
    await a.sync.syncNow();
    await b.sync.syncNow();
    expect(store.calls.writeBreaker).toBe(writes);
  });

  it('opens a breaker on an instance that has never seen the API, and closes it when the episode closes', async () => {
    const clock = new Clock();
    const store = new MemoryStateStore(clock.now);
    const a = instance('a', store, clock);
    const cold = instance('cold', store, clock);

    trip(a.breakers, 'orders', clock.t);
    await a.sync.syncNow();
    await cold.sync.syncNow();
    expect(cold.breakers.peek('orders')?.state(clock.t)).toBe('open');
    expect(cold.sync.stats.writes).toBe(0); // adopted as stored: nothing new to write
    expect(cold.breakers.acquire('orders', undefined, clock.t).permitted).toBe(false);
    expect(cold.sync.stats.adopted).toBe(1);

    // A's probe succeeds after the open period; its closed snapshot of the same episode closes cold's.
    clock.t += 10_000;
    for (let i = 0; i < 5; i++) {
      const probe = a.breakers.acquire('orders', undefined, clock.t);
      if (probe.permitted) probe.permit.success(10, clock.t);
    }
    expect(a.breakers.peek('orders')!.state(clock.t)).toBe('closed');
    await a.sync.syncNow();
    await cold.sync.syncNow();
    expect(cold.breakers.peek('orders')!.state(clock.t)).toBe('closed');
  });

  it('writes only snapshots whose version grew, never untouched breakers, open ones first', async () => {
    const clock = new Clock();
    const store = new MemoryStateStore(clock.now);
    const a = instance('a', store, clock, { maxWritesPerSync: 1 });
    a.breakers.get('quiet'); // closed, version 0: nothing to share
    trip(a.breakers, 'orders', clock.t);
    // A breaker that opened and closed again (version 3) is also due, but after the open one.
    trip(a.breakers, 'billing', clock.t);
    const billing = a.breakers.peek('billing')!;
    clock.t += 10_000;
    for (let i = 0; i < 5; i++) {
      const probe = billing.tryAcquire(clock.t);
      if (probe.permitted) probe.permit.success(10, clock.t);
    }
    expect(billing.state(clock.t)).toBe('closed');

    await a.sync.syncNow();
    expect([...store.breakers.keys()]).toEqual(['orders']);
    await a.sync.syncNow();
    expect([...store.breakers.keys()].sort()).toEqual(['billing', 'orders']);
    expect(a.sync.stats).toMatchObject({ syncs: 2, writes: 2, refusedWrites: 0, reads: 4 });
    await a.sync.syncNow();
    expect(a.sync.stats.writes).toBe(2);
  });

  it('does not repeat a write the store refused until the version grows again', async () => {
    const clock = new Clock();
    const store = new MemoryStateStore(clock.now);
    // Another instance stored this version (or a newer one) first.
    const write = vi.spyOn(store, 'writeBreaker').mockResolvedValue(false);
    const a = instance('a', store, clock);
    trip(a.breakers, 'orders', clock.t);
    await a.sync.syncNow();
    await a.sync.syncNow();
    expect(write).toHaveBeenCalledTimes(1);
    expect(a.sync.stats.refusedWrites).toBe(1);

    clock.t += 10_000;
    expect(a.breakers.acquire('orders', undefined, clock.t).permitted).toBe(true); // now half-open
    await a.sync.syncNow();
    expect(write).toHaveBeenCalledTimes(2);
  });

  it('ignores malformed and expired records', async () => {
    const clock = new Clock();
    const store = new MemoryStateStore(clock.now);
    const a = instance('a', store, clock);
    store.breakers.set('orders', {
      value: { snapshot: { state: 'open', version: 'x' } as unknown as BreakerSnapshot, version: 1 },
      expiresAt: clock.t + 60_000,
    });
    const other = instance('other', new MemoryStateStore(clock.now), clock);
    trip(other.breakers, 'billing', clock.t);
    store.breakers.set('billing', {
      value: { snapshot: snapshotOf(other.breakers, 'billing', clock.t)!, version: 2 },
      expiresAt: clock.t - 1,
    });
    await a.sync.syncNow();
    expect(a.breakers.size).toBe(0);
    expect(a.errors).toEqual([]);
  });
});

describe('GatewayStateSync: health results', () => {
  it('applies stored results to the pools, once', async () => {
    const clock = new Clock();
    const store = new MemoryStateStore(clock.now);
    const a = instance('a', store, clock);
    const pool = a.pools.get('orders', [{ url: 'https://a.internal' }, { url: 'https://b.internal' }]);
    await store.writeHealth([
      { url: 'https://a.internal', ok: false, latencyMs: 2_000, checkedAt: clock.t, error: 'timeout' },
      { url: 'https://b.internal', ok: true, latencyMs: 5, checkedAt: clock.t },
      { url: 'https://elsewhere.internal', ok: false, latencyMs: 5, checkedAt: clock.t },
    ]);
    await a.sync.syncNow();
    expect(pool.state('https://a.internal', clock.t)).toBe('ejected');
    expect(pool.state('https://b.internal', clock.t)).toBe('healthy');
    expect(a.sync.stats.healthApplied).toBe(2);
    await a.sync.syncNow();
    expect(a.sync.stats.healthApplied).toBe(2);

    // A later passing check brings the server back.
    clock.t += 60_000;
    await store.writeHealth([{ url: 'https://a.internal', ok: true, latencyMs: 4, checkedAt: clock.t }]);
    await a.sync.syncNow();
    expect(pool.state('https://a.internal', clock.t)).toBe('healthy');
  });

  it('still applies health results when the breaker stage fails', async () => {
    const clock = new Clock();
    const store = new MemoryStateStore(clock.now);
    vi.spyOn(store, 'readBreakers').mockRejectedValue(new Error('throttled'));
    const a = instance('a', store, clock);
    const pool = a.pools.get('orders', [{ url: 'https://a.internal' }]);
    await store.writeHealth([{ url: 'https://a.internal', ok: false, latencyMs: 5, checkedAt: clock.t }]);
    await a.sync.syncNow();
    expect(pool.state('https://a.internal', clock.t)).toBe('ejected');
    expect(a.errors).toEqual([new Error('throttled')]);
    expect(a.sync.stats.failedSyncs).toBe(1);
  });
});

describe('GatewayStateSync.maybeSync', () => {
  it('starts at most one sync per interval, never two at once, without waiting for it', async () => {
    const clock = new Clock();
    const store = new GatedStore(clock.now);
    const a = instance('a', store, clock, { intervalMs: 3_000 });
    trip(a.breakers, 'orders', clock.t);
    store.hold();

    expect(a.sync.maybeSync()).toBeUndefined(); // first request: syncs at once
    expect(a.sync.syncing).toBe(true);
    for (let i = 0; i < 100; i++) a.sync.maybeSync();
    clock.t += 10_000; // long overdue, but one is still running
    for (let i = 0; i < 100; i++) a.sync.maybeSync();
    await new Promise((r) => setTimeout(r, 5));
    expect(store.inner.calls.readBreakers).toBe(0);
    expect(store.inFlight).toBe(1);

    store.release();
    await vi.waitFor(() => expect(a.sync.syncing).toBe(false));
    expect(a.sync.stats.syncs).toBe(1);
    expect(store.inner.calls).toMatchObject({ readBreakers: 1, writeBreaker: 1, readHealth: 1 });

    a.sync.maybeSync(); // started at START, now START + 10 s: due
    await vi.waitFor(() => expect(a.sync.syncing).toBe(false));
    expect(a.sync.stats.syncs).toBe(2);
    clock.t += 2_999;
    a.sync.maybeSync(); // not yet
    expect(a.sync.syncing).toBe(false);
    clock.t += 1;
    a.sync.maybeSync();
    expect(a.sync.syncing).toBe(true);
    await a.sync.syncNow();
    expect(a.sync.stats.syncs).toBe(4);
    expect(store.maxInFlight).toBe(1); // one sync at a time: its calls never overlap
  });

  it('never throws and never leaves a rejection unhandled, whatever fails', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const clock = new Clock();
      const store = new MemoryStateStore(clock.now);
      store.failure = new Error('store down');
      const stages: string[] = [];
      const sync = new GatewayStateSync({
        store,
        breakers: new BreakerRegistry(),
        pools: new UpstreamPools(),
        now: clock.now,
        onError: (_error, stage) => {
          stages.push(stage);
          throw new Error('the logger is broken too');
        },
      });
      expect(() => sync.maybeSync()).not.toThrow();
      await vi.waitFor(() => expect(sync.syncing).toBe(false));
      await expect(sync.syncNow()).resolves.toBeUndefined();
      expect(stages).toEqual(['breakers', 'health', 'breakers', 'health']);
      expect(sync.stats).toMatchObject({ syncs: 2, failedSyncs: 2 });

      const broken = new GatewayStateSync({
        store,
        breakers: new BreakerRegistry(),
        pools: new UpstreamPools(),
        now: () => {
          throw new Error('no clock');
        },
        onError: () => {},
      });
      expect(() => broken.maybeSync()).not.toThrow();
      await new Promise((r) => setTimeout(r, 10));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('reports a failed write and retries it at the next sync', async () => {
    const clock = new Clock();
    const store = new MemoryStateStore(clock.now);
    const a = instance('a', store, clock);
    trip(a.breakers, 'orders', clock.t);
    const write = vi.spyOn(store, 'writeBreaker').mockRejectedValueOnce(new Error('throttled'));
    await a.sync.syncNow();
    expect(a.errors).toEqual([new Error('throttled')]);
    expect(store.breakers.size).toBe(0);
    await a.sync.syncNow();
    expect(write).toHaveBeenCalledTimes(2);
    expect(store.breakers.has('orders')).toBe(true);
  });
});
