import { describe, expect, it } from 'vitest';
import type { TransitionEvent } from './breaker.ts';
import { BreakerRegistry, breakerKey, parseBreakerKey } from './registry.ts';
import type { BreakerSettings } from './settings.ts';

const FAST: Partial<BreakerSettings> = {
  consecutiveFailures: 2,
  openBaseMs: 1_000,
  openMaxMs: 4_000,
  halfOpenProbes: 1,
};

function tripBreaker(
  registry: BreakerRegistry,
  api: string,
  upstream: string | undefined,
  now: number,
): void {
  const breaker = registry.get(api, upstream);
  for (let i = 0; i < breaker.settings.consecutiveFailures; i++) {
    const a = breaker.tryAcquire(now);
    if (a.permitted) a.permit.failure(now);
  }
  expect(breaker.state(now)).toBe('open');
}

describe('breaker keys', () => {
  it('names a breaker per API and per upstream server of an API', () => {
    expect(breakerKey('orders')).toBe('orders');
    expect(breakerKey('orders', 'https://a.example')).toBe('orders#https://a.example');
    expect(parseBreakerKey('orders#https://a.example/#x')).toEqual({
      api: 'orders',
      upstream: 'https://a.example/#x',
    });
    expect(parseBreakerKey('orders')).toEqual({ api: 'orders' });
  });
});

describe('BreakerRegistry', () => {
  it('keeps one breaker per key, independent of each other', () => {
    const registry = new BreakerRegistry({ defaults: FAST, instanceId: 'i' });
    const api = registry.get('orders');
    expect(registry.get('orders')).toBe(api);
    const upstream = registry.get('orders', 'https://a.example');
    expect(upstream).not.toBe(api);
    tripBreaker(registry, 'orders', 'https://a.example', 0);
    expect(api.state(0)).toBe('closed');
    expect(registry.get('orders', 'https://b.example').state(0)).toBe('closed');
    expect(registry.keys().sort()).toEqual([
      'orders',
      'orders#https://a.example',
      'orders#https://b.example',
    ]);
  });

  it('is bounded, evicting the least recently used closed breaker before any open one', () => {
    const registry = new BreakerRegistry({ defaults: FAST, maxBreakers: 3 });
    tripBreaker(registry, 'a', undefined, 0); // oldest, but open
    registry.get('b');
    registry.get('c');
    registry.get('d');
    expect(registry.size).toBe(3);
    expect(registry.keys()).toEqual(['a', 'c', 'd']);
    registry.get('c'); // used again: now the most recent
    registry.get('e');
    expect(registry.keys()).toEqual(['a', 'c', 'e']);
  });

  it('evicts the oldest when every breaker is open', () => {
    const registry = new BreakerRegistry({ defaults: FAST, maxBreakers: 2 });
    tripBreaker(registry, 'a', undefined, 0);
    tripBreaker(registry, 'b', undefined, 0);
    registry.get('c');
    expect(registry.keys()).toEqual(['b', 'c']);
  });

  it('creates breakers from the API settings over the defaults, and reconfigures them in place', () => {
    const registry = new BreakerRegistry({ defaults: FAST });
    const own = { openBaseMs: 2_000 };
    const breaker = registry.get('orders', undefined, own);
    expect(breaker.settings).toMatchObject({ openBaseMs: 2_000, consecutiveFailures: 2, openMaxMs: 4_000 });
    tripBreaker(registry, 'orders', undefined, 0);
    const changed = { openBaseMs: 3_000 };
    expect(registry.get('orders', undefined, changed)).toBe(breaker);
    expect(breaker.settings.openBaseMs).toBe(3_000);
    expect(breaker.state(0)).toBe('open'); // state kept
    expect(registry.get('orders').settings.openBaseMs).toBe(3_000); // no settings: keep
    expect(() => registry.get('bad', undefined, { halfOpenProbes: 0 })).toThrow(/halfOpenProbes/);
  });

  it('reports every transition with its key', () => {
    const seen: [string, TransitionEvent][] = [];
    const registry = new BreakerRegistry({ defaults: FAST, onTransition: (key, e) => seen.push([key, e]) });
    tripBreaker(registry, 'orders', 'https://a.example', 5);
    expect(seen.map(([key, e]) => [key, e.to, e.reason])).toEqual([
      ['orders#https://a.example', 'open', 'consecutive-failures'],
    ]);
  });

  it('acquires from both the API and the upstream breaker, and settles both', () => {
    const registry = new BreakerRegistry({ defaults: FAST });
    const a = registry.acquire('orders', 'https://a.example', 0);
    const b = registry.acquire('orders', 'https://a.example', 0);
    if (!a.permitted || !b.permitted) throw new Error('refused');
    a.permit.failure(0);
    b.permit.failure(0);
    expect(registry.get('orders').state(0)).toBe('open');
    expect(registry.get('orders', 'https://a.example').state(0)).toBe('open');
    expect(registry.acquire('orders', 'https://b.example', 10)).toEqual({
      permitted: false,
      key: 'orders',
      state: 'open',
      retryAfterMs: 990,
    });
  });

  it('gives the API probe back when the upstream refuses, so no probe slot is wasted', () => {
    const registry = new BreakerRegistry({ defaults: FAST });
    tripBreaker(registry, 'orders', undefined, 0);
    tripBreaker(registry, 'orders', 'https://a.example', 500); // open until 1,500
    expect(registry.acquire('orders', 'https://a.example', 1_000)).toMatchObject({
      permitted: false,
      key: 'orders#https://a.example',
      state: 'open',
      retryAfterMs: 500,
    });
    // The API breaker is half-open with its single probe slot still free: another upstream gets it.
    expect(registry.get('orders').state(1_000)).toBe('half-open');
    const other = registry.acquire('orders', 'https://b.example', 1_000);
    if (!other.permitted) throw new Error('refused');
    expect(other.permit.kind).toBe('probe');
    other.permit.success(10, 1_010);
    expect(registry.get('orders').state(1_010)).toBe('closed');
  });

  it('shares snapshots, creating a breaker from a remote only for a running open episode', () => {
    const a = new BreakerRegistry({ defaults: FAST, instanceId: 'a' });
    const b = new BreakerRegistry({ defaults: FAST, instanceId: 'b' });
    tripBreaker(a, 'orders', 'https://a.example', 0);
    a.get('payments');
    for (const { key, snapshot } of a.snapshots(100)) b.merge(key, snapshot, 100);
    expect(b.keys()).toEqual(['orders#https://a.example']);
    expect(b.acquire('orders', 'https://a.example', 100)).toMatchObject({ permitted: false, state: 'open' });
    expect(b.merge('x', { state: 'open' }, 100)).toBe('invalid');
    expect(b.merge('orders#https://a.example', a.get('orders', 'https://a.example').snapshot(), 200)).toBe(
      'same',
    );
  });
});
