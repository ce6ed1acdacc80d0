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

    it("lists an app's deliveries newest first, narrowed by topic, status, subscription and time, page by page", async () => {
      const store = await setup();
      const appId = `app-${randomUUID()}`;
      const sub = `sub-${randomUUID()}`;
      const made = [];
      for (let i = 0; i < 5; i++) {
        const d = newDelivery(
          { messageId: `evt-${i}-${randomUUID()}`, topic: i % 2 ? 'orders.paid' : 'orders.created' },
          { subscriptionId: i < 4 ? sub : `sub-${randomUUID()}`, appId, state: 'active' },
          T0 + i * 1000,
        );
        await store.save(d, 0);
        made.push(d);
      }
      await store.save(fresh(), 0); // another app's
      const ids = (items: { deliveryId: string }[]) => items.map((d) => d.deliveryId);
      const all = await store.listByApp(appId, {}, { limit: 10 });
      expect(ids(all.items)).toEqual(ids([...made].reverse()));
      const first = await store.listByApp(appId, {}, { limit: 2 });
      expect(ids(first.items)).toEqual([made[4]!.deliveryId, made[3]!.deliveryId]);
      const second = await store.listByApp(appId, {}, { limit: 2, cursor: first.next });
      expect(ids(second.items)).toEqual([made[2]!.deliveryId, made[1]!.deliveryId]);
      const paid = await store.listByApp(appId, { topic: 'orders.paid' }, { limit: 10 });
      expect(ids(paid.items)).toEqual([made[3]!.deliveryId, made[1]!.deliveryId]);
      const window = await store.listByApp(
        appId,
        { since: T0 + 1000, until: T0 + 3000, subscriptionId: sub },
        { limit: 10 },
      );
      expect(ids(window.items)).toEqual([made[3]!.deliveryId, made[2]!.deliveryId, made[1]!.deliveryId]);
      const sent = afterAttempt(made[0]!, outcomeOfStatus(200), T0 + 9000, DEFAULT_RETRY_SCHEDULE).delivery;
      await store.save(sent, made[0]!.version);
      expect(ids((await store.listByApp(appId, { status: 'Sent' }, { limit: 10 })).items)).toEqual([
        sent.deliveryId,
      ]);
    });

    it("lists a subscription's deliveries in one status by their time, following every move", async () => {
      const store = await setup();
      const sub = `sub-${randomUUID()}`;
      const made = [];
      for (let i = 0; i < 3; i++) {
        const d = newDelivery(
          { messageId: `evt-${randomUUID()}`, topic: 'orders.created' },
          { subscriptionId: sub, appId: 'app-1', state: 'active' },
          T0 + i,
        );
        await store.save(d, 0);
        made.push(d);
      }
      const ids = (items: { deliveryId: string }[]) => items.map((d) => d.deliveryId);
      const queued = await store.listBySubscription(sub, 'Queued', {}, { limit: 10 });
      expect(ids(queued.items)).toEqual(ids(made));
      const failed = afterAttempt(made[1]!, outcomeOfStatus(410), T0 + 50, DEFAULT_RETRY_SCHEDULE).delivery;
      await store.save(failed, made[1]!.version);
      expect(ids((await store.listBySubscription(sub, 'Queued', {}, { limit: 10 })).items)).toEqual([
        made[0]!.deliveryId,
        made[2]!.deliveryId,
      ]);
      expect(
        ids((await store.listBySubscription(sub, 'Failed', { from: T0 + 50 }, { limit: 10 })).items),
      ).toEqual([failed.deliveryId]);
      expect((await store.listBySubscription(sub, 'Failed', { from: T0 + 51 }, { limit: 10 })).items).toEqual(
        [],
      );
      expect(ids((await store.listBySubscription(sub, 'Queued', { to: T0 }, { limit: 10 })).items)).toEqual([
        made[0]!.deliveryId,
      ]);
    });

    it('refuses a cursor from another listing', async () => {
      const store = await setup();
      const appId = `app-${randomUUID()}`;
      for (let i = 0; i < 3; i++) {
        await store.save(
          newDelivery(
            { messageId: `evt-${randomUUID()}`, topic: 't.x' },
            { subscriptionId: 's', appId, state: 'active' },
            T0 + i,
          ),
          0,
        );
      }
      const { next } = await store.listByApp(appId, {}, { limit: 1 });
      expect(next).toBeDefined();
      await expect(store.listByApp('app-other', {}, { limit: 1, cursor: next })).rejects.toThrow();
      await expect(store.listByApp(appId, {}, { limit: 1, cursor: 'garbage!' })).rejects.toThrow();
    });
  });
}
