import { describe, expect, it } from 'vitest';
import type { DeliveryQueue, Subscription } from './ports.ts';
import { sendTestMessage, TEST_MESSAGE_SOURCE } from './test-message.ts';
import { MemoryDeliveryStore, MemoryMessageStore, MemoryTopicStore } from './testing/memory-stores.ts';
import { aTopic } from './testing/topic-store.contract.ts';

const T0 = 1_796_000_000_000;
const sub = (over: Partial<Subscription> = {}): Subscription => ({
  subscriptionId: 'sub_a',
  appId: 'app_a',
  topic: 'orders.created',
  mode: 'webhook',
  url: 'https://r.example/',
  // A filter the example does not pass: a test ignores it.
  filter: { region: 'nowhere' },
  state: 'active',
  health: {},
  secrets: [],
  version: 1,
  createdAt: T0,
  ...over,
});

async function setup() {
  const topics = new MemoryTopicStore();
  await topics.put(
    aTopic('orders.created', {
      payloadSchema: { type: 'object', required: ['orderId'], properties: { orderId: { type: 'string' } } },
      example: { orderId: 'o-1' },
    }),
  );
  const messages = new MemoryMessageStore();
  const deliveries = new MemoryDeliveryStore();
  const queued: { deliveryId: string; subscriptionId: string }[] = [];
  const queue: DeliveryQueue = {
    enqueue: async (items) => {
      queued.push(...items);
    },
  };
  return { messages, deliveries, queued, deps: { topics, messages, deliveries, queue, clock: () => T0 } };
}

describe('sending a test message', () => {
  it("delivers the topic's example to this subscription alone, filter or not", async () => {
    const t = await setup();
    const sent = await sendTestMessage(t.deps, sub(), {});
    const message = t.messages.messages.get(sent.messageId);
    expect(message).toMatchObject({
      topic: 'orders.created',
      source: TEST_MESSAGE_SOURCE,
      payload: { orderId: 'o-1' },
      audience: 'app_a',
      status: 'Accepted',
    });
    expect(
      [...t.deliveries.deliveries.values()].map((d) => [d.deliveryId, d.subscriptionId, d.status]),
    ).toEqual([[sent.deliveryId, 'sub_a', 'Queued']]);
    expect(t.queued).toEqual([
      expect.objectContaining({ deliveryId: sent.deliveryId, subscriptionId: 'sub_a' }),
    ]);
  });

  it('sends the payload given when it passes the topic schema, and refuses one that does not', async () => {
    const t = await setup();
    const sent = await sendTestMessage(t.deps, sub(), { payload: { orderId: 'mine' } });
    expect(t.messages.messages.get(sent.messageId)?.payload).toEqual({ orderId: 'mine' });
    await expect(sendTestMessage(t.deps, sub(), { payload: { orderId: 7 } })).rejects.toMatchObject({
      code: 'validation-failed',
      details: { errors: [expect.objectContaining({ pointer: '/payload/orderId' })] },
    });
    await expect(sendTestMessage(t.deps, sub(), { payload: {}, extra: 1 })).rejects.toMatchObject({
      code: 'validation-failed',
    });
    expect(t.messages.messages.size).toBe(1);
  });

  it('refuses a paused or disabled subscription, storing nothing', async () => {
    const t = await setup();
    for (const state of ['paused', 'disabled'] as const)
      await expect(sendTestMessage(t.deps, sub({ state }), {})).rejects.toMatchObject({ code: 'conflict' });
    expect(t.messages.messages.size).toBe(0);
    expect(t.queued).toEqual([]);
  });
});
