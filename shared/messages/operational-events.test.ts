import { describe, expect, it } from 'vitest';
import { newDelivery } from './delivery.ts';
import { operationalMessage, SUBSCRIPTION_EVENTS_TOPIC, tellApp } from './operational-events.ts';
import type { Subscription } from './ports.ts';
import { MemoryDeliveryStore, MemoryMessageStore, MemorySubscriptionStore } from './testing/memory-stores.ts';
import { maySubscribe } from './topic.ts';

const T0 = Date.UTC(2030, 0, 1);
const sub = (id: string, appId: string, topic: string): Subscription => ({
  subscriptionId: id,
  appId,
  topic,
  mode: 'webhook',
  url: 'https://r.example/',
  state: 'active',
  health: {},
  secrets: [],
  version: 1,
  createdAt: T0,
});

describe('operational events', () => {
  it('reach only the subscriptions of the app they are about, once per event', async () => {
    const subscriptions = new MemorySubscriptionStore();
    await subscriptions.create(sub('sub_a_events', 'app-a', SUBSCRIPTION_EVENTS_TOPIC));
    await subscriptions.create(sub('sub_b_events', 'app-b', SUBSCRIPTION_EVENTS_TOPIC));
    const deliveries = new MemoryDeliveryStore();
    const messages = new MemoryMessageStore();
    const queued: string[] = [];
    const deps = {
      subscriptions,
      deliveries,
      messages,
      queue: {
        enqueue: async (items: readonly { subscriptionId: string }[]) =>
          void queued.push(...items.map((i) => i.subscriptionId)),
      },
      clock: () => T0,
    };
    const failed = {
      ...newDelivery(
        { messageId: 'evt-1', topic: 'orders.created' },
        sub('sub_a', 'app-a', 'orders.created'),
        T0,
      ),
      status: 'Failed' as const,
      attempts: 8,
    };
    const event = { kind: 'exhausted' as const, delivery: failed };
    const told = await tellApp(deps, event, T0 + 5);
    await tellApp(deps, event, T0 + 5);
    expect(told).toMatchObject({
      topic: SUBSCRIPTION_EVENTS_TOPIC,
      audience: 'app-a',
      payload: { type: 'delivery.exhausted', deliveryId: failed.deliveryId, attempts: 8 },
    });
    expect(queued).toEqual(['sub_a_events', 'sub_a_events']);
    expect(deliveries.deliveries.size).toBe(1);
    expect(messages.messages.size).toBe(1);
  });

  it('announces a disable before and at the time, with its reason', () => {
    const s = { ...sub('sub_a', 'app-a', 'orders.created'), health: { failingSince: T0 } };
    expect(operationalMessage({ kind: 'warn-disable', subscription: s }, T0)?.payload).toMatchObject({
      type: 'subscription.disabling',
    });
    expect(operationalMessage({ kind: 'disable', subscription: s }, T0)?.payload).toMatchObject({
      type: 'subscription.disabled',
      reason: 'failing',
    });
    expect(operationalMessage({ kind: 'disable-gone', subscription: s }, T0)?.payload).toMatchObject({
      reason: 'gone',
    });
  });

  it('says nothing about deliveries of the platform topic itself, so a dead endpoint cannot loop', () => {
    const ownEvent = newDelivery(
      { messageId: 'evt_x', topic: SUBSCRIPTION_EVENTS_TOPIC },
      sub('s', 'app-a', SUBSCRIPTION_EVENTS_TOPIC),
      T0,
    );
    expect(operationalMessage({ kind: 'exhausted', delivery: ownEvent }, T0)).toBeUndefined();
  });

  it('may be subscribed to by any app, without the scope an ordinary topic needs', () => {
    expect(maySubscribe({ name: SUBSCRIPTION_EVENTS_TOPIC, scope: 'portico:events' }, [])).toBe(true);
    expect(maySubscribe({ name: 'orders.created', scope: 'orders:read' }, [])).toBe(false);
  });
});
