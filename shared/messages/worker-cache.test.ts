import { describe, expect, it } from 'vitest';
import { ExpiringCache } from './worker-cache.ts';

describe('an expiring cache', () => {
  it('shares one load between callers and keeps the value until its expiry', async () => {
    const cache = new ExpiringCache<string>(10);
    let loads = 0;
    const load = async () => `v${++loads}`;
    const [a, b] = await Promise.all([cache.get('k', 0, 1_000, load), cache.get('k', 0, 1_000, load)]);
    expect([a, b, loads]).toEqual(['v1', 'v1', 1]);
    expect(await cache.get('k', 999, 1_000, load)).toBe('v1');
    expect(await cache.get('k', 1_000, 1_000, load)).toBe('v2');
  });

  it('keeps neither a failed load nor one that found nothing', async () => {
    const cache = new ExpiringCache<string>(10);
    await expect(cache.get('k', 0, 1_000, () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await cache.get('k', 0, 1_000, async () => undefined)).toBeUndefined();
    expect(await cache.get('k', 0, 1_000, async () => 'found')).toBe('found');
  });

  it('forgets the least recently used beyond its size, and what it is told to', async () => {
    const cache = new ExpiringCache<number>(2);
    await cache.get('a', 0, 1_000, async () => 1);
    await cache.get('b', 0, 1_000, async () => 2);
    await cache.get('a', 0, 1_000, async () => 0);
    cache.set('c', 3, 1_000);
    expect(cache.size).toBe(2);
    expect(await cache.get('b', 0, 1_000, async () => 20)).toBe(20);
    cache.delete('b');
    expect(await cache.get('b', 0, 1_000, async () => 21)).toBe(21);
  });
});
