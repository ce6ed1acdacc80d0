import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { RateLimitPolicy } from '../../kernel/rate-limit-policy.ts';
import type { LeaseStore } from '../ports.ts';

const unique = (prefix: string) => `${prefix}#${randomUUID().replaceAll('-', '').slice(0, 12)}`;
/** A window of 2030 for a policy (window ids count windows since the epoch). */
const windowOf = (policy: RateLimitPolicy) => Math.floor(Date.UTC(2030, 0, 1) / 1000 / policy.windowSeconds);

export interface LeaseStoreContractOptions {
  /**
   * Whether the store under test applies concurrent conditional writes to one item one at a time, as
   * DynamoDB does. The local emulator (moto 5.2.1) does not: two concurrent conditional updates can both
   * pass, so against it the contract proves the limit with sequential leases only, and the concurrent
   * cases run against the in-memory store.
   */
  concurrentWritesAreAtomic: boolean;
}

/**
 * What every `LeaseStore` must do (gateway/ports.ts): `acquire` grants `min(want, limit − used)` of one
 * key's budget in one window, atomically, so the grants of a window never add up to more than the limit.
 */
export function leaseStoreContract(
  name: string,
  setup: () => Promise<LeaseStore>,
  { concurrentWritesAreAtomic }: LeaseStoreContractOptions,
): void {
  describe(`LeaseStore contract: ${name}`, () => {
    it('grants what is wanted while the budget lasts, then what is left, then nothing', async () => {
      const store = await setup();
      const policy = { limit: 10, windowSeconds: 60 };
      const request = { key: unique('app'), policy, windowId: windowOf(policy) };
      expect(await store.acquire({ ...request, want: 4 })).toMatchObject({ granted: 4, used: 4, writes: 1 });
      expect(await store.acquire({ ...request, want: 4 })).toMatchObject({ granted: 4, used: 8, writes: 1 });
      // Only 2 left: the first conditional write fails, the retry takes exactly what is left.
      expect(await store.acquire({ ...request, want: 4 })).toMatchObject({ granted: 2, used: 10, writes: 2 });
      expect(await store.acquire({ ...request, want: 1 })).toMatchObject({ granted: 0, used: 10, writes: 1 });
    });

    it('never grants more than the limit in one call, and takes whole units', async () => {
      const store = await setup();
      const policy = { limit: 5, windowSeconds: 1 };
      const request = { key: unique('ip'), policy, windowId: windowOf(policy) };
      expect(await store.acquire({ ...request, want: 2.7 })).toMatchObject({ granted: 2, used: 2 });
      expect(await store.acquire({ ...request, want: 50 })).toMatchObject({ granted: 3, used: 5 });
    });

    it('makes no write for a lease of nothing', async () => {
      const store = await setup();
      const policy = { limit: 5, windowSeconds: 60 };
      const grant = await store.acquire({ key: unique('api'), policy, windowId: windowOf(policy), want: 0 });
      expect(grant).toMatchObject({ granted: 0, writes: 0 });
    });

    it('keeps a budget per key, per window and per window length', async () => {
      const store = await setup();
      const perMinute = { limit: 3, windowSeconds: 60 };
      const perHour = { limit: 3, windowSeconds: 3_600 };
      const key = unique('app-api');
      const window = windowOf(perMinute);
      expect((await store.acquire({ key, policy: perMinute, windowId: window, want: 3 })).granted).toBe(3);
      expect((await store.acquire({ key, policy: perMinute, windowId: window, want: 3 })).granted).toBe(0);
      expect((await store.acquire({ key, policy: perMinute, windowId: window + 1, want: 3 })).granted).toBe(
        3,
      );
      expect(
        (await store.acquire({ key, policy: perHour, windowId: windowOf(perHour), want: 3 })).granted,
      ).toBe(3);
      expect(
        (await store.acquire({ key: unique('app-api'), policy: perMinute, windowId: window, want: 3 }))
          .granted,
      ).toBe(3);
    });

    it('hands out exactly the limit to many sequential leases', async () => {
      const store = await setup();
      const policy = { limit: 20, windowSeconds: 60 };
      const request = { key: unique('api'), policy, windowId: windowOf(policy) };
      const grants = [];
      for (let i = 0; i < 10; i++) grants.push(await store.acquire({ ...request, want: 3 }));
      expect(grants.reduce((sum, g) => sum + g.granted, 0)).toBe(20);
      expect(grants.map((g) => g.used)).toEqual([3, 6, 9, 12, 15, 18, 20, 20, 20, 20]);
    });

    if (concurrentWritesAreAtomic) {
      it('never grants more than the limit across concurrent leases, and hands out all of it', async () => {
        const store = await setup();
        const policy = { limit: 100, windowSeconds: 60 };
        const request = { key: unique('app'), policy, windowId: windowOf(policy) };
        const grants = await Promise.all(
          Array.from({ length: 40 }, () => store.acquire({ ...request, want: 7 })),
        );
        expect(grants.reduce((sum, g) => sum + g.granted, 0)).toBe(100);
        expect(grants.every((g) => g.used <= 100 && g.granted <= 7)).toBe(true);
      });
    }
  });
}
