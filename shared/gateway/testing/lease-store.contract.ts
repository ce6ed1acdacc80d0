import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { LeaseStore } from '../ports.ts';

const unique = (prefix: string) => `${prefix}#${randomUUID().replaceAll('-', '').slice(0, 12)}`;
/** A time in 2030 (µs), on a whole second. */
const T0 = Date.UTC(2030, 0, 1) * 1000;

export interface LeaseStoreContractOptions {
  /**
   * Whether the store under test applies concurrent conditional writes to one item one at a time, as
   * DynamoDB does. The local emulator (moto 5.2.1) does not: two concurrent conditional updates can both
   * pass, so against it the contract proves the bound with sequential leases only, and the concurrent
   * cases run against the in-memory store.
   */
  concurrentWritesAreAtomic: boolean;
}

/**
 * What every `LeaseStore` must do (gateway/ports.ts): `acquire` takes what fits of one key's token
 * bucket, atomically, so the grants never add up to more than the bucket allows.
 *
 * The policy used: 10 a second, burst 10, hold 0 (tolerance 1 s): a full bucket gives 10 at once, then
 * one unit per 100 ms.
 */
export function leaseStoreContract(
  name: string,
  setup: () => Promise<LeaseStore>,
  { concurrentWritesAreAtomic }: LeaseStoreContractOptions,
): void {
  const policy = { limit: 10, windowSeconds: 1 };
  const request = (key: string, nowUs: number, want: number, lastTatUs?: number) => ({
    key,
    policy,
    nowUs,
    holdUs: 0,
    want,
    ...(lastTatUs === undefined ? {} : { lastTatUs }),
  });

  describe(`LeaseStore contract: ${name}`, () => {
    it('grants what is wanted while the bucket holds it, then what is left, then nothing', async () => {
      const store = await setup();
      const key = unique('app');
      expect(await store.acquire(request(key, T0, 4))).toMatchObject({
        granted: 4,
        tatUs: T0 + 400_000,
        writes: 1,
      });
      expect(await store.acquire(request(key, T0, 4, T0 + 400_000))).toMatchObject({
        granted: 4,
        tatUs: T0 + 800_000,
        writes: 1,
      });
      // Only 2 left: the caller believed 6 were, so the first write fails and the retry takes the 2.
      expect(await store.acquire(request(key, T0, 4, T0 + 400_000))).toMatchObject({
        granted: 2,
        tatUs: T0 + 1_000_000,
        writes: 2,
      });
      expect(await store.acquire(request(key, T0, 1, T0 + 1_000_000))).toMatchObject({
        granted: 0,
        writes: 0,
      });
      // The bucket refills at the rate: 250 ms later, 2 more units (and a half, not granted).
      expect(await store.acquire(request(key, T0 + 250_000, 5, T0 + 1_000_000))).toMatchObject({
        granted: 2,
        tatUs: T0 + 1_200_000,
      });
    });

    it('learns the bucket from a failed write when the caller has never seen it', async () => {
      const store = await setup();
      const key = unique('ip');
      await store.acquire(request(key, T0, 8));
      const grant = await store.acquire(request(key, T0, 5)); // predicts an untouched bucket: wrong
      expect(grant).toMatchObject({ granted: 2, tatUs: T0 + 1_000_000, writes: 2, reads: 0 });
    });

    it('restarts a bucket that has been full for a while, and takes whole units only', async () => {
      const store = await setup();
      const key = unique('api');
      await store.acquire(request(key, T0, 10));
      const later = T0 + 60_000_000;
      expect(await store.acquire(request(key, later, 2.7, T0 + 1_000_000))).toMatchObject({
        granted: 2,
        tatUs: later + 200_000,
        writes: 1, // its tat is a minute old: a restart, rightly predicted
      });
      // A caller that believes the bucket busy (a tat under a second old) pays one failed write.
      const again = T0 + 120_000_000;
      expect(await store.acquire(request(key, again, 1, again - 600_000))).toMatchObject({
        granted: 1,
        tatUs: again + 100_000,
        writes: 2,
      });
    });

    it('makes no write for a lease of nothing', async () => {
      const store = await setup();
      const grant = await store.acquire(request(unique('api'), T0, 0));
      expect(grant).toMatchObject({ granted: 0, writes: 0 });
    });

    it('keeps a bucket per key and per policy', async () => {
      const store = await setup();
      const key = unique('app-api');
      expect((await store.acquire(request(key, T0, 10))).granted).toBe(10);
      expect(
        (await store.acquire({ ...request(key, T0, 10), policy: { limit: 10, windowSeconds: 60 } })).granted,
      ).toBe(10);
      expect(
        (await store.acquire({ ...request(key, T0, 10), policy: { ...policy, burst: 20 } })).granted,
      ).toBe(10);
      expect((await store.acquire(request(unique('app-api'), T0, 10))).granted).toBe(10);
      expect((await store.acquire(request(key, T0, 10, T0 + 1_000_000))).granted).toBe(0);
    });

    it('gives many sequential leases no more than rate × time + burst', async () => {
      const store = await setup();
      const key = unique('api');
      let granted = 0;
      let tat: number | undefined;
      for (let i = 0; i < 20; i++) {
        const grant = await store.acquire(request(key, T0 + i * 50_000, 3, tat));
        granted += grant.granted;
        tat = grant.tatUs;
      }
      // Over 0.95 s: 10 (burst) + 9 refilled (one per 100 ms).
      expect(granted).toBe(19);
    });

    if (concurrentWritesAreAtomic) {
      it('never grants more than the bucket across concurrent leases, and hands out all of it', async () => {
        const store = await setup();
        const key = unique('app');
        const big = { ...policy, limit: 100, burst: 100 };
        const grants = await Promise.all(
          Array.from({ length: 40 }, () => store.acquire({ ...request(key, T0, 7), policy: big })),
        );
        expect(grants.reduce((sum, g) => sum + g.granted, 0)).toBe(100);
        expect(grants.every((g) => g.granted <= 7)).toBe(true);
      });
    }
  });
}
