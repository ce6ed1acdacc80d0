import { describe, expect, it } from 'vitest';
import { fanOutMessage } from './fan-out-message.ts';
import type { DeliveryQueue, Subscription } from './ports.ts';
import { MemoryDeliveryStore, MemorySubscriptionStore } from './testing/memory-stores.ts';

const T0 = 1_796_000_000_000;
const message = { messageId: 'evt-1', topic: 'orders.created', payload: { region: 'eu' } };
const sub = (id: string, over: Partial<Subscription> = {}): Subscription => ({
  subscriptionId: id,
  appId: `app-${id}`,
  topic: 'orders.created',
  mode: 'webhook',
  url: 'https://r.example/',
  state: 'active',
  health: {},
  secrets: [],
  version: 1,
  createdAt: T0,
  ...over,
});

function setup(failEnqueueOnce = false) {
  const subscriptions = new MemorySubscriptionStore();
  const deliveries = new MemoryDeliveryStore();
  const queued: { deliveryId: string; subscriptionId: string; dueAt: number }[] = [];
  let fail = failEnqueueOnce;
  const queue: DeliveryQueue = {
    enqueue: async (items) => {
      if (fail) {
        fail = false;
        throw new Error('queue unavailable');
      }
      queued.push(...items);
    },
  };
  return { subscriptions, deliveries, queued, deps: { subscriptions, deliveries, queue, clock: () => T0 } };
}

describe('fanning a message out', () => {
  it('creates one delivery per matching subscription and queues the due ones, grouped by subscription', async () => {
    const t = setup();
    for (const s of [sub('a'), sub('b', { state: 'paused' }), sub('c', { filter: { region: 'us' } })]) {
      await t.subscriptions.create(s);
    }
    expect(await fanOutMessage(t.deps, message)).toEqual({ created: 2, queued: 1 });
    expect(t.queued).toEqual([
      { deliveryId: expect.stringMatching(/^msg_/), subscriptionId: 'a', dueAt: T0 },
    ]);
    expect([...t.deliveries.deliveries.values()].map((d) => [d.subscriptionId, d.status])).toEqual([
      ['a', 'Queued'],
      ['b', 'Paused'],
    ]);
  });

  it('reads back only deliveries that already existed (a repeat), not the ones it has just created', async () => {
    const t = setup();
    for (const s of [sub('a'), sub('b')]) await t.subscriptions.create(s);
    let reads = 0;
    const get = t.deliveries.get.bind(t.deliveries);
    t.deliveries.get = async (id) => {
      reads++;
      return get(id);
    };
    await fanOutMessage(t.deps, message);
    expect(reads).toBe(0);
    await fanOutMessage(t.deps, message);
    expect(reads).toBe(2);
  });

  it('loses nothing when the queue fails: the retried fan-out creates nothing twice and queues again', async () => {
    const t = setup(true);
    await t.subscriptions.create(sub('a'));
    await expect(fanOutMessage(t.deps, message)).rejects.toThrow('queue unavailable');
    expect(t.deliveries.deliveries.size).toBe(1);
    expect(await fanOutMessage(t.deps, message)).toEqual({ created: 0, queued: 1 });
    expect(t.deliveries.deliveries.size).toBe(1);
    expect(t.queued).toHaveLength(1);
  });

  it('queues webhook and websocket deliveries: pull ones wait in the store, Queued', async () => {
    const { subscriptions, deliveries, queued, deps } = setup();
    await subscriptions.create(sub('hook'));
    await subscriptions.create(sub('puller', { mode: 'pull', url: undefined }));
    await subscriptions.create(sub('socket', { mode: 'websocket', url: undefined }));
    expect(await fanOutMessage(deps, message)).toEqual({ created: 3, queued: 2 });
    expect(queued.map((q) => q.subscriptionId).sort()).toEqual(['hook', 'socket']);
    expect([...deliveries.deliveries.values()].map((d) => d.status)).toEqual(['Queued', 'Queued', 'Queued']);
  });
});
