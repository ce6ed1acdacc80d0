import { describe, expect, it } from 'vitest';
import { ingestEvent } from './ingest-event.ts';
import type { Subscription } from './ports.ts';
import {
  MemoryDeliveryStore,
  MemoryMessageStore,
  MemorySubscriptionStore,
  MemoryTopicStore,
} from './testing/memory-stores.ts';
import { aTopic } from './testing/topic-store.contract.ts';

const now = new Date('2026-12-01T10:00:00Z');
const sub = (id: string, topic: string): Subscription => ({
  subscriptionId: id,
  appId: 'app-1',
  topic,
  mode: 'webhook',
  url: 'https://r.example/',
  state: 'active',
  health: {},
  secrets: [],
  version: 1,
  createdAt: 1,
});

async function setup() {
  const topics = new MemoryTopicStore();
  await topics.put(aTopic('orders.created'));
  const subscriptions = new MemorySubscriptionStore();
  await subscriptions.create(sub('sub-1', 'orders.created'));
  await subscriptions.create(sub('sub-2', 'orders.created'));
  const queued: string[] = [];
  const deps = {
    topics,
    messages: new MemoryMessageStore(),
    subscriptions,
    deliveries: new MemoryDeliveryStore(),
    queue: {
      enqueue: async (items: readonly { deliveryId: string }[]) =>
        void queued.push(...items.map((i) => i.deliveryId)),
    },
    clock: () => now.getTime(),
  };
  return { deps, queued, topics };
}

const body = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    id: 'evt-1',
    source: 'biz.orders',
    'detail-type': 'orders.created',
    detail: { orderId: 'o-1' },
    ...over,
  });

describe('ingestEvent', () => {
  it('stores a valid event once and fans it out; a redelivery creates nothing new but queues again', async () => {
    const { deps, queued } = await setup();
    expect(await ingestEvent(deps, body(), 'sqs-1', now)).toMatchObject({
      outcome: 'stored',
      created: 2,
      queued: 2,
    });
    expect(await ingestEvent(deps, body(), 'sqs-1', now)).toMatchObject({
      outcome: 'duplicate',
      created: 0,
      queued: 2,
    });
    expect(new Set(queued).size).toBe(2);
  });

  it('keeps an unreadable, unknown-topic or invalid event as Rejected, with no delivery', async () => {
    const { deps, queued } = await setup();
    const cases = [
      ['not json', 'malformed-event', 'sqs-9'],
      ['[1,2]', 'malformed-event', 'sqs-9'],
      [body({ id: 'evt-2', 'detail-type': 'orders.unknown' }), 'unknown-topic', 'evt-2'],
      [body({ id: 'evt-3', detail: { orderId: 3 } }), 'invalid-payload', 'evt-3'],
    ] as const;
    for (const [input, reason, id] of cases) {
      const result = await ingestEvent(deps, input, 'sqs-9', now);
      expect(result.message).toMatchObject({ messageId: id, status: 'Rejected', rejection: { reason } });
      expect(await deps.messages.get(id)).toMatchObject({ status: 'Rejected' });
    }
    expect(queued).toEqual([]);
  });

  it('does not deliver a rejected event redelivered after its topic was created', async () => {
    const { deps, topics } = await setup();
    await ingestEvent(deps, body({ id: 'evt-4', 'detail-type': 'orders.late' }), 'sqs-4', now);
    await topics.put(aTopic('orders.late'));
    const again = await ingestEvent(deps, body({ id: 'evt-4', 'detail-type': 'orders.late' }), 'sqs-4', now);
    expect(again).toMatchObject({ outcome: 'duplicate', created: 0, message: { status: 'Rejected' } });
  });
});
