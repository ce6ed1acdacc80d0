import { describe, expect, it } from 'vitest';
import { settleWithin, TtlCache } from './cache.ts';

describe('TtlCache', () => {
  it('loads once per ttl and shares concurrent loads', async () => {
    let now = 0;
    let loads = 0;
    const cache = new TtlCache(
      async () => ++loads,
      1000,
      () => now,
    );
    expect(await Promise.all([cache.get(), cache.get()])).toEqual([1, 1]);
    now = 999;
    expect(await cache.get()).toBe(1);
    now = 1000;
    expect(await cache.get()).toBe(2);
  });

  it('serves the last good value when a refresh fails, and throws when there is none', async () => {
    let now = 0;
    let fail = false;
    const cache = new TtlCache(
      async () => {
        if (fail) throw new Error('store down');
        return 'v1';
      },
      10,
      () => now,
    );
    expect(await cache.get()).toBe('v1');
    fail = true;
    now = 50;
    expect(await cache.get()).toBe('v1');
    await expect(new TtlCache(async () => Promise.reject(new Error('x')), 10).get()).rejects.toThrow('x');
  });

  it('refuses to refresh a value younger than minAgeMs', async () => {
    let now = 0;
    let loads = 0;
    const cache = new TtlCache(
      async () => ++loads,
      60_000,
      () => now,
    );
    await cache.get();
    now = 5000;
    expect(await cache.refresh(10_000)).toBe(1);
    now = 10_000;
    expect(await cache.refresh(10_000)).toBe(2);
  });

  it('answers from the last value when a reload hangs, and stops waiting while the store fails', async () => {
    let now = 0;
    let hang: ((error: Error) => void) | undefined;
    let loads = 0;
    const cache = new TtlCache(
      () => {
        loads++;
        if (loads === 1) return Promise.resolve('v1');
        return new Promise<string>((_, reject) => {
          hang = reject;
        });
      },
      1000,
      () => now,
      1000,
      20,
    );
    expect(await cache.get()).toBe('v1');
    now = 1000;
    let started = performance.now();
    expect(await cache.get()).toBe('v1'); // waited about 20 ms for the hung reload, not for its end
    expect(performance.now() - started).toBeLessThan(200);
    hang!(Object.assign(new Error('timed out'), { name: 'TimeoutError' }));
    await settleWithin(Promise.resolve(), 1);
    started = performance.now();
    expect(await cache.get()).toBe('v1'); // failing: no wait, and no new load before the retry time
    expect(performance.now() - started).toBeLessThan(15);
    expect(loads).toBe(2);
    now = 2000;
    expect(await cache.get()).toBe('v1'); // retried in the background
    expect(loads).toBe(3);
  });

  it('fails at once, without asking the store, right after a failed first load', async () => {
    let now = 0;
    let loads = 0;
    const cache = new TtlCache(
      async () => {
        loads++;
        throw new Error('down');
      },
      1000,
      () => now,
      1000,
    );
    await expect(cache.get()).rejects.toThrow('down');
    await expect(cache.get()).rejects.toThrow('down');
    expect(loads).toBe(1);
    now = 1000;
    await expect(cache.get()).rejects.toThrow('down');
    expect(loads).toBe(2);
  });
});

describe('settleWithin', () => {
  it('returns when the work settles or the time is up, and never rejects', async () => {
    await settleWithin(Promise.reject(new Error('x')), 1000);
    const started = performance.now();
    await settleWithin(new Promise(() => {}), 20);
    expect(performance.now() - started).toBeLessThan(200);
    await settleWithin(Promise.reject(new Error('y')), 0);
  });
});
