import { describe, expect, it } from 'vitest';
import type { TokenStore } from './ports.ts';
import { RevocationCache } from './revocation-cache.ts';

type Feed = Awaited<ReturnType<TokenStore['revocationsSince']>>;

/** A feed whose next read answers, fails or hangs, as the test says. */
function feed() {
  const reads: { resolve: (f: Feed) => void; reject: (e: Error) => void }[] = [];
  const store = {
    revocationsSince: () =>
      new Promise<Feed>((resolve, reject) => {
        reads.push({ resolve, reject });
      }),
  };
  return { store, reads };
}

const timeout = () => Object.assign(new Error('timed out'), { name: 'TimeoutError' });
const token = { jti: 't1', app_id: 'app_1', iat: 100 };
const tick = () => new Promise((r) => setTimeout(r, 0));
const timed = async <T>(work: Promise<T>) => {
  const started = performance.now();
  const value = await work;
  return { value, ms: performance.now() - started };
};

describe('RevocationCache', () => {
  it('serves the last view when the feed hangs: one short wait, then none while it fails', async () => {
    let now = 0;
    const { store, reads } = feed();
    const cache = new RevocationCache(store, 5000, () => now, 30);
    const first = cache.isRevoked(token);
    await tick();
    reads[0]!.resolve({ entries: [{ kind: 'token', jti: 't1', appId: 'app_1', at: 'x' }], cursor: 'c1' });
    expect(await first).toBe(true);

    now = 5000;
    const slow = await timed(cache.isRevoked(token)); // the read hangs: waited about 30 ms
    expect(slow.value).toBe(true);
    expect(slow.ms).toBeLessThan(300);
    now = 5040;
    const meanwhile = await timed(cache.isRevoked(token)); // same read still hanging: no new wait
    expect(meanwhile.ms).toBeLessThan(15);
    expect(reads).toHaveLength(2);

    reads[1]!.reject(timeout());
    await tick();
    now = 5500; // failing, and before the retry time: no read at all
    expect((await timed(cache.isRevoked(token))).ms).toBeLessThan(15);
    expect(reads).toHaveLength(2);
    now = 6100; // retried in the background, the request does not wait for it
    expect((await timed(cache.isRevoked(token))).ms).toBeLessThan(15);
    expect(reads).toHaveLength(3);

    reads[2]!.resolve({ entries: [{ kind: 'app', appId: 'app_1', notBefore: 200, at: 'y' }], cursor: 'c2' });
    await tick();
    expect(await cache.isAppRevokedAfter('app_1', 150_000)).toBe(true); // back to normal, new entries seen
  });

  it('fails a cold instance, quickly again until the retry time', async () => {
    let now = 0;
    const { store, reads } = feed();
    const cache = new RevocationCache(store, 5000, () => now);
    const first = cache.isRevoked(token);
    await tick();
    reads[0]!.reject(timeout());
    await expect(first).rejects.toThrow('timed out');
    await expect(cache.isRevoked(token)).rejects.toThrow('timed out');
    expect(reads).toHaveLength(1);
    now = 1000;
    const again = cache.isRevoked(token);
    await tick();
    expect(reads).toHaveLength(2);
    reads[1]!.resolve({ entries: [], cursor: undefined });
    expect(await again).toBe(false);
  });
});
