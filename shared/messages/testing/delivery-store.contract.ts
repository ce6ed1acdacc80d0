import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { outcomeOfStatus } from '../attempt-outcome.ts';
import { afterAttempt, newDelivery } from '../delivery.ts';
import type { DeliveryStore } from '../ports.ts';
import { DEFAULT_RETRY_SCHEDULE } from '../retry-schedule.ts';

const T0 = Date.UTC(2030, 0, 1);
const fresh = () =>
  newDelivery(
    { messageId: `evt-${randomUUID()}`, topic: 'orders.created' },
    { subscriptionId: `sub-${randomUUID()}`, appId: 'app-1', state: 'active' },
    T0,
  );

/**
 * What every `DeliveryStore` must do (messages/ports.ts): a delivery is created once, moves only from
 * the version it was read at, and its attempt log keeps every distinct attempt in order.
 */
export function deliveryStoreContract(name: string, setup: () => Promise<DeliveryStore>): void {
  describe(`DeliveryStore contract: ${name}`, () => {
    it('creates a delivery once: a second fan-out of the same delivery changes nothing', async () => {
      const store = await setup();
      const d = fresh();
      expect(await store.save(d, 0)).toBe(true);
      expect(await store.save({ ...d, topic: 'changed' }, 0)).toBe(false);
      expect(await store.get(d.deliveryId)).toEqual(d);
      expect(await store.get('msg_unknown')).toBeUndefined();
    });

    it('moves a delivery only from the version it was read at', async () => {
      const store = await setup();
      const d = fresh();
      await store.save(d, 0);
      const sent = afterAttempt(d, outcomeOfStatus(200), T0 + 1, DEFAULT_RETRY_SCHEDULE).delivery;
      const retried = afterAttempt(d, outcomeOfStatus(500), T0 + 2, DEFAULT_RETRY_SCHEDULE).delivery;
      expect(await store.save(sent, d.version)).toBe(true);
      expect(await store.save(retried, d.version)).toBe(false);
      expect(await store.get(d.deliveryId)).toEqual(sent);
    });

    it('keeps every distinct attempt, in order, and a rewritten one once', async () => {
      const store = await setup();
      const d = fresh();
      const record = (attempt: number, at: number, status: number) => ({
        deliveryId: d.deliveryId,
        attempt,
        at,
        latencyMs: 12,
        status,
        ...(status >= 300 ? { errorClass: 'server-error' as const, responseExcerpt: 'é'.repeat(10) } : {}),
      });
      await store.appendAttempt(record(2, T0 + 5_000, 200));
      await store.appendAttempt(record(1, T0, 500));
      await store.appendAttempt(record(1, T0, 500));
      await store.appendAttempt(record(2, T0 + 5_001, 200));
      expect(await store.attempts(d.deliveryId)).toEqual([
        record(1, T0, 500),
        record(2, T0 + 5_000, 200),
        record(2, T0 + 5_001, 200),
      ]);
      expect(await store.attempts('msg_unknown')).toEqual([]);
    });
  });
}
