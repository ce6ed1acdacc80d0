import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Subscription, SubscriptionStore } from '../ports.ts';

const subscription = (topic: string, over: Partial<Subscription> = {}): Subscription => ({
  subscriptionId: `sub-${randomUUID()}`,
  appId: 'app-1',
  topic,
  mode: 'webhook',
  url: 'https://receiver.example/hooks',
  state: 'active',
  health: {},
  secrets: [{ ciphertext: 'c1', createdAt: 1 }],
  version: 1,
  createdAt: 1,
  ...over,
});
const topicName = () => `orders.t${randomUUID().slice(0, 8)}`;

/**
 * What every `SubscriptionStore` must do (messages/ports.ts): ids are taken once, health and state move
 * only from the version read, and fan-out sees every subscription of a topic with its current state.
 */
export function subscriptionStoreContract(name: string, setup: () => Promise<SubscriptionStore>): void {
  describe(`SubscriptionStore contract: ${name}`, () => {
    it('creates a subscription once and reads it back as stored', async () => {
      const store = await setup();
      const s = subscription(topicName(), {
        filter: { status: ['paid', 'refunded'] },
        retrySchedule: [0, 5],
      });
      expect(await store.create(s)).toBe(true);
      expect(await store.create({ ...s, url: 'https://other.example/' })).toBe(false);
      expect(await store.get(s.subscriptionId)).toEqual(s);
      expect(await store.get('sub-unknown')).toBeUndefined();
    });

    it('saves health and state only over the version it was read at', async () => {
      const store = await setup();
      const s = subscription(topicName());
      await store.create(s);
      const failing = { ...s, health: { failingSince: 1 }, version: 2 };
      const disabled = { ...s, state: 'disabled' as const, version: 2 };
      expect(await store.save(failing, 1)).toBe(true);
      expect(await store.save(disabled, 1)).toBe(false);
      expect(await store.get(s.subscriptionId)).toEqual(failing);
    });

    it('saves a change of health alone over the version it was read at, fan-out seeing the same', async () => {
      const store = await setup();
      const topic = topicName();
      const s = subscription(topic, { filter: { region: 'eu' } });
      await store.create(s);
      const before = await store.listByTopic(topic);
      const failing = { ...s, health: { failingSince: 1 }, version: 2 };
      const save = (store.saveHealth ?? store.save).bind(store);
      expect(await save(failing, 1)).toBe(true);
      expect(await save({ ...failing, health: {}, version: 3 }, 1)).toBe(false);
      expect(await store.get(s.subscriptionId)).toEqual(failing);
      expect(await store.listByTopic(topic)).toEqual(before);
      expect(await store.save({ ...failing, state: 'paused', version: 3 }, 2)).toBe(true);
      expect((await store.listByTopic(topic))[0]!.state).toBe('paused');
    });

    it('lists every subscription of a topic for fan-out, with its mode, filter and current state', async () => {
      const store = await setup();
      const topic = topicName();
      const a = subscription(topic, { filter: { region: 'eu' } });
      const b = subscription(topic, { appId: 'app-2', mode: 'pull', url: undefined });
      await store.create(a);
      await store.create(b);
      await store.create(subscription(topicName()));
      await store.save({ ...b, state: 'paused', version: 2 }, 1);
      const targets = await store.listByTopic(topic);
      expect(targets.sort((x, y) => (x.subscriptionId < y.subscriptionId ? -1 : 1))).toEqual(
        [
          {
            subscriptionId: a.subscriptionId,
            appId: 'app-1',
            topic,
            state: 'active',
            mode: 'webhook',
            filter: { region: 'eu' },
          },
          { subscriptionId: b.subscriptionId, appId: 'app-2', topic, state: 'paused', mode: 'pull' },
        ].sort((x, y) => (x.subscriptionId < y.subscriptionId ? -1 : 1)),
      );
      expect(await store.listByTopic(topicName())).toEqual([]);
    });

    it("lists an app's subscriptions oldest first, page by page, and deletes one only at its version", async () => {
      const store = await setup();
      const appId = `app-${randomUUID()}`;
      const topic = topicName();
      const mine = [0, 1, 2].map((i) => subscription(topic, { appId, createdAt: 10 + i }));
      for (const s of mine) await store.create(s);
      await store.create(subscription(topic));
      const first = await store.listByApp(appId, { limit: 2 });
      expect(first.items).toEqual(mine.slice(0, 2));
      expect((await store.listByApp(appId, { limit: 2, cursor: first.next })).items).toEqual(mine.slice(2));
      expect(await store.delete(mine[0]!, 7)).toBe(false);
      expect(await store.delete(mine[0]!, 1)).toBe(true);
      expect(await store.get(mine[0]!.subscriptionId)).toBeUndefined();
      expect((await store.listByTopic(topic)).map((t) => t.subscriptionId)).not.toContain(
        mine[0]!.subscriptionId,
      );
      expect((await store.listByApp(appId, { limit: 10 })).items).toEqual(mine.slice(1));
    });
  });
}
