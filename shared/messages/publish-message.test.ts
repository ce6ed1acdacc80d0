import { describe, expect, it } from 'vitest';
import { DomainError } from '../kernel/errors.ts';
import type { Subscription } from './ports.ts';
import { publishMessage } from './publish-message.ts';
import {
  MemoryDeliveryStore,
  MemoryMessageStore,
  MemorySubscriptionStore,
  MemoryTopicStore,
} from './testing/memory-stores.ts';
import { aTopic } from './testing/topic-store.contract.ts';

const now = new Date('2030-01-01T00:00:00Z');
const publisher = { appId: 'app-orders', scopes: ['publish:orders.created'] };

async function setup() {
  const topics = new MemoryTopicStore();
  await topics.put(aTopic('orders.created'));
  await topics.put(aTopic('orders.paid'));
  const subscriptions = new MemorySubscriptionStore();
  const sub: Subscription = {
    subscriptionId: 'sub-1',
    appId: 'app-1',
    topic: 'orders.created',
    mode: 'webhook',
    url: 'https://r.example/',
    state: 'active',
    health: {},
    secrets: [],
    version: 1,
    createdAt: 1,
  };
  await subscriptions.create(sub);
  const messages = new MemoryMessageStore();
  const queued: string[] = [];
  const deps = {
    topics,
    messages,
    subscriptions,
    deliveries: new MemoryDeliveryStore(),
    queue: {
      enqueue: async (items: readonly { deliveryId: string }[]) =>
        void queued.push(...items.map((i) => i.deliveryId)),
    },
    clock: () => now.getTime(),
  };
  return { deps, messages, queued };
}

const code = (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (e: DomainError) => {
      expect(e).toBeInstanceOf(DomainError);
      return e.code;
    },
  );

describe('publishMessage', () => {
  it('stores and fans out once per key; a retry with the same payload answers the same message', async () => {
    const { deps, messages, queued } = await setup();
    const request = { topic: 'orders.created', payload: { orderId: 'o-1' }, idempotencyKey: 'k-1' };
    const first = await publishMessage(deps, publisher, request, now);
    expect(first).toMatchObject({
      replayed: false,
      message: { status: 'Accepted', source: 'publisher:app-orders' },
    });
    const again = await publishMessage(deps, publisher, request, now);
    expect(again).toMatchObject({ replayed: true, message: { messageId: first.message.messageId } });
    expect(messages.messages.size).toBe(1);
    expect(new Set(queued).size).toBe(1);
  });

  it('refuses, storing nothing: no scope, no key, unknown topic, invalid payload, or a key reused with another payload', async () => {
    const { deps, messages } = await setup();
    const ok = { topic: 'orders.created', payload: { orderId: 'o-1' }, idempotencyKey: 'k-1' };
    expect(await code(publishMessage(deps, { ...publisher, scopes: ['orders:read'] }, ok, now))).toBe(
      'forbidden',
    );
    expect(await code(publishMessage(deps, publisher, { ...ok, topic: 'orders.paid' }, now))).toBe(
      'forbidden',
    );
    expect(await code(publishMessage(deps, publisher, { ...ok, idempotencyKey: undefined }, now))).toBe(
      'bad-request',
    );
    expect(await code(publishMessage(deps, publisher, { ...ok, idempotencyKey: 'has space' }, now))).toBe(
      'bad-request',
    );
    const nobody = { appId: 'a', scopes: ['publish:orders.nope'] };
    expect(await code(publishMessage(deps, nobody, { ...ok, topic: 'orders.nope' }, now))).toBe('not-found');
    expect(await code(publishMessage(deps, publisher, { ...ok, payload: { orderId: 1 } }, now))).toBe(
      'validation-failed',
    );
    expect(
      await code(publishMessage(deps, publisher, { ...ok, payload: { orderId: 'x'.repeat(70_000) } }, now)),
    ).toBe('payload-too-large');
    expect(messages.messages.size).toBe(0);
    await publishMessage(deps, publisher, ok, now);
    expect(await code(publishMessage(deps, publisher, { ...ok, payload: { orderId: 'o-2' } }, now))).toBe(
      'conflict',
    );
    expect(messages.messages.size).toBe(1);
  });
});
