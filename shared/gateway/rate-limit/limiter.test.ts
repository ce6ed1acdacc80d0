import { describe, expect, it, vi } from 'vitest';
import type { RateLimitPolicy } from '../../kernel/rate-limit-policy.ts';
import type { LeaseRequest, LeaseStore } from '../ports.ts';
import { MemoryLeaseStore } from '../testing/memory-lease-store.ts';
import { RateLimiter } from './limiter.ts';
import type { RateLimitRule } from './policy.ts';

const T0 = 1_700_000_040_000; // on a 1 s and a 60 s boundary
const rule = (name: string, key: string, policy: RateLimitPolicy): RateLimitRule => ({ name, key, policy });
const perSecond = (limit: number) => ({ limit, windowSeconds: 1 });

describe('RateLimiter on one instance', () => {
  it('admits the burst at once (less what holding costs), then the rate, never more', async () => {
    const store = new MemoryLeaseStore();
    const limiter = new RateLimiter({ store });
    const app = rule('app', 'app#a', perSecond(8)); // I = 125 ms; hold 250 ms: 6 of the 8 at once
    const at = (ms: number) => limiter.check([app], T0 + ms);
    const first = [];
    for (let i = 0; i < 10; i++) first.push(await at(i));
    expect(first.filter((d) => d.allowed)).toHaveLength(6);
    const refused = first.find((d) => !d.allowed)!;
    expect(refused.violated).toEqual(['app']);
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    // This instance found the bucket empty: it leases again once a few units have come back.
    expect(refused.retryAfterMs).toBeLessThanOrEqual(375);
    expect(refused.headers['Retry-After']).toBe('1');
    // One more unit every 125 ms, at whatever instant: no window boundary lets twice the limit through.
    const later = [];
    for (let ms = 100; ms < 1100; ms += 5) later.push(await at(ms));
    const admitted = later.filter((d) => d.allowed).length;
    // 8 come back in that second; what this instance has not fetched yet stays in the bucket.
    expect(admitted).toBeGreaterThanOrEqual(6);
    expect(admitted).toBeLessThanOrEqual(8);
  });

  it('drops leased units it holds past their deadline', async () => {
    const store = new MemoryLeaseStore();
    const limiter = new RateLimiter({ store });
    const app = rule('app', 'app#a', perSecond(1000));
    for (let t = 0; t < 600; t += 5) await limiter.check([app], T0 + t); // 200 a second: leases grow
    const held = limiter.stats.leasedUnits - limiter.stats.allowed;
    expect(held, 'units held when the traffic stops').toBeGreaterThan(0);
    await limiter.check([app], T0 + 5_000);
    expect(limiter.stats.expiredUnits).toBeGreaterThanOrEqual(held);
  });

  it('reads a bucket it last saw too empty instead of a write bound to fail, and sizes the lease on it', async () => {
    const store = new MemoryLeaseStore();
    const a = new RateLimiter({ store });
    const b = new RateLimiter({ store });
    const app = rule('app', 'app#a', perSecond(100)); // 75 at once, then one every 10 ms
    for (let i = 0; i < 80; i++) await a.check([app], T0 + i * 0.1);
    expect(a.stats.allowed).toBe(75);
    const { storeWrites: writes, storeReads: reads } = a.stats;
    // 200 ms on, b takes what came back; later a, which saw the bucket empty, reads before asking.
    for (let i = 0; i < 30; i++) await b.check([app], T0 + 200 + i * 0.1);
    expect((await a.check([app], T0 + 400)).allowed).toBe(true);
    expect(a.stats.storeReads - reads).toBe(1);
    expect(a.stats.storeWrites - writes).toBe(1);
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
    // Held and still in the bucket (75 of 100 at once for app; 996 of 1000 for ip, whose 60 ms units
    // are held 4 intervals), less this call;
    // `t`: seconds until the bucket is full again.
    expect(headers.RateLimit).toBe('"app";r=74;t=1, "ip";r=995;t=1');
    expect(headers['Retry-After']).toBeUndefined();
    expect((await limiter.check([], T0)).headers).toEqual({});
  });

  it('serialises concurrent checks of one instance on one lease call and never exceeds the bucket', async () => {
    const store = new MemoryLeaseStore();
    const limiter = new RateLimiter({ store });
    const app = rule('app', 'app#a', { ...perSecond(20), burst: 40 }); // hold 250 ms: 35 at once
    const decisions = await Promise.all(Array.from({ length: 50 }, () => limiter.check([app], T0 + 10)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(35);
    expect(store.tatOf('app#a', app.policy)).toBe((T0 + 10) * 1000 + 35 * 50_000);
  });

  it('counts two rules on the same key and window once', async () => {
    const store = new MemoryLeaseStore();
    const limiter = new RateLimiter({ store });
    const app = rule('app', 'app#a', perSecond(3)); // units of 333 ms: no hold, all 3 at once
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
    const app = rule('app', 'app#a', perSecond(10)); // held 2 intervals: 8 at once
    const ipRule = (ip: string) => rule('ip', `ip#${ip}`, perSecond(3)); // no hold: 3 at once

    for (let i = 0; i < 3; i++) expect((await limiter.check([app, ipRule('A')], T0 + i)).allowed).toBe(true);
    const refused = await limiter.check([app, ipRule('A')], T0 + 3);
    expect(refused.allowed).toBe(false);
    expect(refused.violated).toEqual(['ip']);
    expect(refused.headers.RateLimit).toBe('"app";r=5;t=1, "ip";r=0;t=1');

    // A drained dimension refuses at once, without leasing anything for the others.
    const calls = store.calls;
    for (let i = 0; i < 5; i++)
      expect((await limiter.check([app, ipRule('A')], T0 + 4 + i)).allowed).toBe(false);
    expect(store.calls).toBe(calls);

    // The app's bucket lost nothing to the refused calls: 5 more from other addresses, then the app is out.
    let allowed = 0;
    for (let i = 0; i < 12; i++)
      if ((await limiter.check([app, ipRule(`B${i}`)], T0 + 20 + i)).allowed) allowed++;
    expect(allowed).toBe(5);
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
    // The daily bucket refills one unit a day: the wait is the day, less the 500 ms gone.
    expect(refused.retryAfterMs).toBe(86_400_000 - 500);
    expect(refused.headers['Retry-After']).toBe('86400');
    // Two seconds on, only the daily bucket refuses.
    expect((await limiter.check([app, daily], T0 + 2500)).violated).toEqual(['app-daily']);
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
