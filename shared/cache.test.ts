import { describe, expect, it } from 'vitest';
import { TtlCache } from './cache.ts';

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
});
