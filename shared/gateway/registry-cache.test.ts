import { describe, expect, it } from 'vitest';
import type { ApiDefinition } from './api-definition.ts';
import { RegistryCache } from './registry-cache.ts';
import { MemoryApiRegistry } from './testing/memory-api-registry.ts';

const api = (name: string, timeoutMs = 1000): ApiDefinition => ({
  name,
  version: '1',
  upstreams: [{ url: 'http://127.0.0.1:1' }],
  timeoutMs,
  authModes: ['token'],
  requiredScopes: [],
});

function setup() {
  let now = 0;
  const registry = new MemoryApiRegistry();
  const cache = new RegistryCache(registry, { checkIntervalMs: 4000, maxStalenessMs: 8000, now: () => now });
  return { registry, cache, advance: (ms: number) => (now += ms) };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('RegistryCache', () => {
  it('serves warm requests without reading the registry, and keeps the same object', async () => {
    const { registry, cache, advance } = setup();
    await registry.put(api('orders'));
    const first = await cache.get('orders');
    const reads = { ...registry.reads };
    for (let i = 0; i < 1000; i++) {
      advance(3);
      expect(await cache.get('orders')).toBe(first);
    }
    // 3 s of traffic: below the check interval, so nothing was read at all.
    expect(registry.reads).toEqual(reads);
  });

  it('answers unknown names from the index: no definition read, one version check a second at most', async () => {
    const { registry, cache, advance } = setup();
    await registry.put(api('orders'));
    await cache.get('orders');
    const before = { ...registry.reads };
    for (let i = 0; i < 100; i++) {
      advance(10);
      expect(await cache.get(`nope-${i}`)).toBeUndefined();
    }
    expect(registry.reads.get).toBe(before.get);
    expect(registry.reads.catalogVersion - before.catalogVersion).toBe(1);
  });

  it('finds a newly registered API on the first request that asks for it after a second', async () => {
    const { registry, cache, advance } = setup();
    await registry.put(api('orders'));
    await cache.get('orders');
    await registry.put(api('users'));
    advance(1000);
    expect((await cache.get('users'))?.name).toBe('users');
  });

  it('picks a change up in the background after the check interval, reloading only what changed', async () => {
    const { registry, cache, advance } = setup();
    await registry.put(api('orders'));
    await registry.put(api('users'));
    await cache.get('orders');
    const users = await cache.get('users');
    await registry.put(api('orders', 2000));

    advance(4000);
    expect((await cache.get('orders'))?.timeoutMs).toBe(1000); // this request does not wait
    await settle();
    expect((await cache.get('orders'))?.timeoutMs).toBe(2000);
    expect(await cache.get('users')).toBe(users);
  });

  it('makes a request wait for the check once the view is older than the staleness bound', async () => {
    const { registry, cache, advance } = setup();
    await registry.put(api('orders'));
    await cache.get('orders');
    await registry.delete('orders');
    advance(8000);
    expect(await cache.get('orders')).toBeUndefined();
  });

  it('reads the catalog version once per interval however many requests arrive', async () => {
    const { registry, cache, advance } = setup();
    await registry.put(api('orders'));
    await cache.get('orders');
    const before = registry.reads.catalogVersion;
    advance(4000);
    await Promise.all(Array.from({ length: 50 }, () => cache.get('orders')));
    await settle();
    expect(registry.reads.catalogVersion - before).toBe(1);
    expect(registry.reads.index).toBe(1); // the version did not move
  });

  it('keeps serving the last view when the registry fails, and fails a cold start', async () => {
    const { registry, cache, advance } = setup();
    await registry.put(api('orders'));
    const first = await cache.get('orders');
    const errors: unknown[] = [];
    const failing = new RegistryCache(
      {
        ...registry,
        catalogVersion: () => Promise.reject(new Error('down')),
        index: () => registry.index(),
        get: (n) => registry.get(n),
      } as MemoryApiRegistry,
      { onRefreshError: (e) => errors.push(e) },
    );
    await expect(failing.get('orders')).rejects.toThrow('down');

    registry.catalogVersion = () => Promise.reject(new Error('down'));
    advance(9000);
    expect(await cache.get('orders')).toBe(first);
  });

  it('waits only briefly for a hung check, then serves the last view without waiting', async () => {
    let now = 0;
    const registry = new MemoryApiRegistry();
    await registry.put(api('orders'));
    const cache = new RegistryCache(registry, { staleWaitMs: 20, now: () => now });
    const first = await cache.get('orders');
    let fail: ((e: Error) => void) | undefined;
    registry.catalogVersion = () =>
      new Promise((_, reject) => {
        fail = reject;
      });
    const timed = async (name: string) => {
      const started = performance.now();
      const value = await cache.get(name);
      return { value, ms: performance.now() - started };
    };

    now = 9000; // past the staleness bound: the request waits, but only staleWaitMs
    const stale = await timed('orders');
    expect(stale.value).toBe(first);
    expect(stale.ms).toBeLessThan(300);
    now = 9030; // the same hung check: nobody waits for it again
    expect((await timed('orders')).ms).toBeLessThan(15);

    fail!(Object.assign(new Error('timed out'), { name: 'TimeoutError' }));
    await settle();
    now = 20_000; // failing: neither the staleness bound nor an unknown name makes anyone wait
    expect((await timed('orders')).value).toBe(first);
    const unknown = await timed('nope');
    expect(unknown.value).toBeUndefined();
    expect(unknown.ms).toBeLessThan(15);
  });
});
