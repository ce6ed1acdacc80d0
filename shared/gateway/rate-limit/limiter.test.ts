import { describe, expect, it, vi } from 'vitest';
import type { RateLimitPolicy } from '../../kernel/rate-limit-policy.ts';
import type { LeaseRequest, LeaseStore } from '../ports.ts';
import { MemoryLeaseStore } from '../testing/memory-lease-store.ts';
import { RateLimiter } from './limiter.ts';
import { type RateLimitRule, windowAt } from './policy.ts';

const T0 = 1_700_000_040_000; // on a 1 s and a 60 s boundary
const rule = (name: string, key: string, policy: RateLimitPolicy): RateLimitRule => ({ name, key, policy });
const perSecond = (limit: number) => ({ limit, windowSeconds: 1 });

describe('RateLimiter on one instance', () => {
  it('admits exactly the limit in a window, then refuses until the window ends', async () => {
    const store = new MemoryLeaseStore();
    const limiter = new RateLimiter({ store });
    const app = rule('app', 'app#a', perSecond(10));
    const decisions = [];
    for (let i = 0; i < 15; i++) decisions.push(await limiter.check([app], T0 + 50 + i * 10));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
    const refused = decisions.find((d) => !d.allowed)!;
    expect(refused.violated).toEqual(['app']);
    expect(refused.retryAfterMs).toBe(T0 + 1000 - (T0 + 50 + 10 * 10));
    expect(refused.headers['Retry-After']).toBe('1');
    expect(refused.headers.RateLimit).toBe('"app";r=0;t=1');
    expect(store.usedIn('app#a', app.policy, windowAt(app.policy, T0).id)).toBe(10);

    expect((await limiter.check([app], T0 + 999)).allowed).toBe(false);
    expect((await limiter.check([app], T0 + 1000)).allowed).toBe(true); // the next window starts afresh
  });

  it('uses a lease only in its own window', async () => {
    const store = new MemoryLeaseStore();
    const limiter = new RateLimiter({ store });
    const app = rule('app', 'app#a', perSecond(1000));
    // 200 requests a second for 0.6 s: the leases cover the demand expected until the window ends.
    for (let t = 0; t < 600; t += 5) await limiter.check([app], T0 + t);
    const leased = store.usedIn('app#a', app.policy, windowAt(app.policy, T0).id);
    expect(leased, 'the instance holds units it did not use when the window ends').toBeGreaterThan(120);
    const calls = store.calls;
    await limiter.check([app], T0 + 1000);
    expect(store.calls, 'the leftover of the last window is not used in the next').toBe(calls + 1);
    expect(store.usedIn('app#a', app.policy, windowAt(app.policy, T0 + 1000).id)).toBeGreaterThanOrEqual(1);
  });

  it('starts with leases of one unit and grows them with the observed rate', async () => {
    const store = new MemoryLeaseStore();
    const limiter = new RateLimiter({ store });
    const app = rule('app', 'app#a', perSecond(100_000));
    await limiter.check([app], T0);
    expect(limiter.stats.leasedUnits).toBe(1);
    for (let t = 1; t < 3000; t++) await limiter.check([app], T0 + t); // 1,000 requests a second
    const before = limiter.stats.storeWrites;
    for (let t = 3000; t < 4000; t++) await limiter.check([app], T0 + t);
    const writesPerRequest = (limiter.stats.storeWrites - before) / 1000;
    expect(writesPerRequest, `writes per request in the 4th second: ${writesPerRequest}`).toBeLessThan(0.01);
  });

  it('announces policies and remaining quota in the draft RateLimit fields', async () => {
    const limiter = new RateLimiter({ store: new MemoryLeaseStore() });
    const app = rule('app', 'app#a', perSecond(100));
    const ip = rule('ip', 'ip#10.0.0.1', { limit: 1000, windowSeconds: 60 });
    const { headers } = await limiter.check([app, ip], T0 + 30_250);
    expect(headers['RateLimit-Policy']).toBe('"app";q=100;w=1, "ip";q=1000;w=60');
    expect(headers.RateLimit).toBe('"app";r=99;t=1, "ip";r=999;t=30');
    expect(headers['Retry-After']).toBeUndefined();
    expect((await limiter.check([], T0)).headers).toEqual({});
  });

  it('serialises concurrent checks of one instance on one lease call and never exceeds the limit', async () => {
    const store = new MemoryLeaseStore();
    const limiter = new RateLimiter({ store });
    const app = rule('app', 'app#a', perSecond(20));
    const decisions = await Promise.all(Array.from({ length: 50 }, () => limiter.check([app], T0 + 10)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(20);
    expect(store.usedIn('app#a', app.policy, windowAt(app.policy, T0).id)).toBe(20);
  });

  it('counts two rules on the same key and window once', async () => {
    const store = new MemoryLeaseStore();
    const limiter = new RateLimiter({ store });
    const app = rule('app', 'app#a', perSecond(3));
    let allowed = 0;
    for (let i = 0; i < 5; i++)
      if ((await limiter.check([app, { ...app, name: 'again' }], T0 + i)).allowed) allowed++;
    expect(allowed).toBe(3);
  });

  it('forgets idle keys beyond maxKeys', async () => {
    const limiter = new RateLimiter({ store: new MemoryLeaseStore(), maxKeys: 100 });
    for (let i = 0; i < 1000; i++)
      await limiter.check([rule('ip', `ip#10.0.${i >> 8}.${i & 255}`, perSecond(5))], T0 + i * 10);
    expect(limiter.trackedKeys).toBeLessThanOrEqual(100);
  });
});

describe('RateLimiter with several dimensions', () => {
  it('refuses when any dimension is exhausted and takes nothing from the others', async () => {
    const store = new MemoryLeaseStore();
    const limiter = new RateLimiter({ store });
    const app = rule('app', 'app#a', perSecond(10));
    const ipRule = (ip: string) => rule('ip', `ip#${ip}`, perSecond(3));

    for (let i = 0; i < 3; i++) expect((await limiter.check([app, ipRule('A')], T0 + i)).allowed).toBe(true);
    const refused = await limiter.check([app, ipRule('A')], T0 + 3);
    expect(refused.allowed).toBe(false);
    expect(refused.violated).toEqual(['ip']);
    expect(refused.headers.RateLimit).toBe('"app";r=7;t=1, "ip";r=0;t=1');

    // A drained dimension refuses at once, without leasing anything for the others.
    const calls = store.calls;
    for (let i = 0; i < 5; i++)
      expect((await limiter.check([app, ipRule('A')], T0 + 4 + i)).allowed).toBe(false);
    expect(store.calls).toBe(calls);

    // The app's budget lost nothing to the refused calls: 7 more from other addresses, then the app is out.
    let allowed = 0;
    for (let i = 0; i < 12; i++)
      if ((await limiter.check([app, ipRule(`B${i}`)], T0 + 20 + i)).allowed) allowed++;
    expect(allowed).toBe(7);
    const last = await limiter.check([app, ipRule('C')], T0 + 40);
    expect(last.violated).toEqual(['app']);
  });

  it('reports every exhausted dimension and the longest wait', async () => {
    const limiter = new RateLimiter({ store: new MemoryLeaseStore() });
    const app = rule('app', 'app#a', perSecond(1));
    const daily = rule('app-daily', 'app#a', { limit: 1, windowSeconds: 86_400 });
    expect((await limiter.check([app, daily], T0)).allowed).toBe(true);
    const refused = await limiter.check([app, daily], T0 + 500);
    expect(refused.violated).toEqual(['app', 'app-daily']);
    const dayEnd = windowAt(daily.policy, T0).endMs;
    expect(refused.retryAfterMs).toBe(dayEnd - (T0 + 500));
    expect(refused.headers['Retry-After']).toBe(String(Math.ceil((dayEnd - (T0 + 500)) / 1000)));
    // The next second, only the daily quota refuses.
    expect((await limiter.check([app, daily], T0 + 1500)).violated).toEqual(['app-daily']);
  });
});

describe('RateLimiter when the store fails', () => {
  it('fails open, counts and reports the failure, and leaves the store alone for failOpenMs', async () => {
    const store = new MemoryLeaseStore();
    store.failure = new Error('store down');
    const onStoreFailure = vi.fn();
    const limiter = new RateLimiter({ store, onStoreFailure, failOpenMs: 1000 });
    const app = rule('app', 'app#a', perSecond(1));

    const first = await limiter.check([app], T0);
    expect(first).toMatchObject({ allowed: true, failedOpen: true });
    expect(first.headers['RateLimit-Policy']).toBe('"app";q=1;w=1');
    expect(first.headers.RateLimit).toBeUndefined();
    expect(onStoreFailure).toHaveBeenCalledWith(store.failure, 'app#a');
    for (let i = 1; i <= 5; i++) expect((await limiter.check([app], T0 + i * 100)).allowed).toBe(true);
    expect(store.calls).toBe(1);
    expect(limiter.stats).toMatchObject({ storeFailures: 1, failOpenAdmissions: 6 });

    store.failure = undefined;
    // The store is retried in the background: this request passes at once, the next ones are enforced.
    expect((await limiter.check([app], T0 + 1000)).failedOpen).toBe(true);
    await Promise.resolve();
    expect(store.calls).toBe(2);
    expect((await limiter.check([app], T0 + 1001)).failedOpen).toBe(false);
    expect((await limiter.check([app], T0 + 1002)).allowed).toBe(false);
  });

  it('makes only the first request wait on a failing store; retries run in the background', async () => {
    let calls = 0;
    const store: LeaseStore = {
      acquire: () => {
        calls++;
        return new Promise(() => {}); // hangs
      },
    };
    const limiter = new RateLimiter({ store, storeTimeoutMs: 50, failOpenMs: 20 });
    const app = rule('app', 'app#a', perSecond(5));
    // A check that does not wait on the store settles within microtasks, before any timer fires.
    const waits = async () =>
      Promise.race([
        limiter.check([app]).then((d) => {
          expect(d).toMatchObject({ allowed: true, failedOpen: true });
          return false;
        }),
        new Promise<boolean>((r) => setTimeout(() => r(true), 0)),
      ]);
    expect(await waits()).toBe(true);
    await new Promise((r) => setTimeout(r, 60));
    for (let i = 0; i < 5; i++) {
      expect(await waits()).toBe(false);
      await new Promise((r) => setTimeout(r, 30));
    }
    expect(calls).toBeGreaterThanOrEqual(2); // retried, in the background
  });

  it('still enforces the dimensions whose store answers', async () => {
    const memory = new MemoryLeaseStore();
    const store: LeaseStore = {
      acquire: (request: LeaseRequest) =>
        request.key.startsWith('ip#') ? Promise.reject(new Error('partition down')) : memory.acquire(request),
    };
    const limiter = new RateLimiter({ store });
    const app = rule('app', 'app#a', perSecond(2));
    const ip = rule('ip', 'ip#A', perSecond(100));
    const allowed = [];
    for (let i = 0; i < 4; i++) allowed.push((await limiter.check([app, ip], T0 + i)).allowed);
    expect(allowed).toEqual([true, true, false, false]);
    expect(limiter.stats.storeFailures).toBe(1);
  });

  it('fails open when the store is slower than storeTimeoutMs, and still uses a late grant', async () => {
    const memory = new MemoryLeaseStore();
    const store: LeaseStore = {
      acquire: (request) => new Promise((resolve) => setTimeout(() => resolve(memory.acquire(request)), 60)),
    };
    const onStoreFailure = vi.fn();
    const limiter = new RateLimiter({ store, storeTimeoutMs: 10, onStoreFailure });
    const app = rule('app', 'app#a', perSecond(5));
    const decision = await limiter.check([app], T0);
    expect(decision).toMatchObject({ allowed: true, failedOpen: true });
    expect(onStoreFailure.mock.calls[0]![0]).toMatchObject({ name: 'StoreTimeoutError' });
    await new Promise((r) => setTimeout(r, 100));
    expect(limiter.stats.leasedUnits).toBe(1);
    expect(await limiter.check([app], T0 + 1)).toMatchObject({ allowed: true, failedOpen: false });
  });
});
