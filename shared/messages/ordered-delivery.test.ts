import { describe, expect, it } from 'vitest';
import { type DeliverDeps, deliverWebhook } from './deliver-webhook.ts';
import { fanOutMessage } from './fan-out-message.ts';
import type { QueueItem, Subscription, WebhookSender } from './ports.ts';
import { MemoryDeliveryStore, MemoryMessageStore, MemorySubscriptionStore } from './testing/memory-stores.ts';

const T0 = Date.UTC(2030, 0, 1);

async function setup() {
  let now = T0;
  const subscriptions = new MemorySubscriptionStore();
  const ordered: Subscription = {
    subscriptionId: 'sub_ordered',
    appId: 'app-1',
    topic: 'orders.created',
    mode: 'webhook',
    url: 'https://r.example/',
    ordered: true,
    retrySchedule: [0, 10, 10],
    state: 'active',
    health: {},
    secrets: [],
    version: 1,
    createdAt: T0,
  };
  await subscriptions.create(ordered);
  const deliveries = new MemoryDeliveryStore();
  const messages = new MemoryMessageStore();
  const queue: QueueItem[] = [];
  const answers: number[] = [];
  const received: string[] = [];
  const send: WebhookSender = async ({ headers }) => {
    received.push(headers['webhook-message-id']!);
    return { status: answers.shift() ?? 200, excerpt: '', latencyMs: 1 };
  };
  const fan = {
    subscriptions,
    deliveries,
    queue: { enqueue: async (items: readonly QueueItem[]) => void queue.push(...items) },
    clock: () => now,
  };
  const deps: DeliverDeps = {
    deliveries,
    subscriptions,
    messages,
    secrets: async () => ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
    send,
    events: async () => {},
    clock: () => now,
  };
  const publish = async (n: number) => {
    const message = { messageId: `evt-${n}`, topic: 'orders.created', payload: { n } };
    await messages.saveOnce({
      ...message,
      source: 'biz.t',
      status: 'Accepted',
      publishedAt: '',
      receivedAt: '',
    });
    now += 1;
    await fanOutMessage(fan, message);
  };
  /** Works the queue as the delivery worker does, until it is empty or only holds future items. */
  const work = async () => {
    for (let guard = 0; guard < 50; guard++) {
      const item = queue.find((q) => q.dueAt <= now);
      if (!item) return;
      queue.splice(queue.indexOf(item), 1);
      const outcome = await deliverWebhook(deps, item.deliveryId);
      if (outcome.result === 'retry' || outcome.result === 'not-due')
        queue.push({ ...item, dueAt: outcome.dueAt });
      if ((outcome.result === 'sent' || outcome.result === 'failed') && outcome.next)
        queue.push(outcome.next);
    }
  };
  return {
    publish,
    work,
    queue,
    answers,
    received,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('an ordered subscription', () => {
  it('queues only its head and receives messages one at a time, oldest first', async () => {
    const t = await setup();
    for (const n of [1, 2, 3]) await t.publish(n);
    expect(t.queue.map((q) => q.deliveryId)).toHaveLength(1);
    await t.work();
    expect(t.received).toEqual(['evt-1', 'evt-2', 'evt-3']);
  });

  it('holds the rest back while its head fails, then sends them in order (head-of-line blocking)', async () => {
    const t = await setup();
    t.answers.push(500);
    for (const n of [1, 2, 3]) await t.publish(n);
    await t.work();
    expect(t.received).toEqual(['evt-1']);
    t.advance(10_000);
    await t.work();
    expect(t.received).toEqual(['evt-1', 'evt-1', 'evt-2', 'evt-3']);
  });

  it('drops a stray queue message for a delivery that is not the head', async () => {
    const t = await setup();
    for (const n of [1, 2]) await t.publish(n);
    const head = t.queue[0]!;
    t.queue.length = 0;
    const { deliveryIdFor } = await import('./delivery.ts');
    t.queue.push({
      deliveryId: deliveryIdFor('evt-2', 'sub_ordered'),
      subscriptionId: 'sub_ordered',
      dueAt: 0,
    });
    await t.work();
    expect(t.received).toEqual([]);
    t.queue.push(head);
    await t.work();
    expect(t.received).toEqual(['evt-1', 'evt-2']);
  });
});
