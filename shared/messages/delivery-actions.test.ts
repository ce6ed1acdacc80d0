import { describe, expect, it } from 'vitest';
import { DomainError } from '../kernel/errors.ts';
import { outcomeOfStatus } from './attempt-outcome.ts';
import { afterAttempt, newDelivery } from './delivery.ts';
import { DeliveryActions, deliveryView, readDeliveryQuery } from './delivery-actions.ts';
import type { Subscription } from './ports.ts';
import { MemoryDeliveryStore, MemoryMessageStore, MemorySubscriptionStore } from './testing/memory-stores.ts';

const T0 = Date.UTC(2030, 0, 1);
const alice = { appId: 'app-alice', scopes: [] };
const mallory = { appId: 'app-mallory', scopes: [] };
const sub = (id: string, appId: string): Subscription => ({
  subscriptionId: id,
  appId,
  topic: 'orders.created',
  mode: 'webhook',
  url: 'https://hooks.example/',
  state: 'active',
  health: {},
  secrets: [],
  version: 1,
  createdAt: T0,
});

async function setup() {
  const deliveries = new MemoryDeliveryStore();
  const messages = new MemoryMessageStore();
  const subscriptions = new MemorySubscriptionStore();
  const queued: string[] = [];
  const actions = new DeliveryActions({
    deliveries,
    messages,
    subscriptions,
    queue: { enqueue: async (items) => void queued.push(...items.map((i) => i.deliveryId)) },
    clock: () => T0 + 5000,
  });
  await messages.saveOnce({
    messageId: 'evt-1',
    topic: 'orders.created',
    source: 'biz.orders',
    payload: { orderId: 'o-1' },
    status: 'Accepted',
    publishedAt: new Date(T0).toISOString(),
    receivedAt: new Date(T0).toISOString(),
  });
  for (const s of [sub('sub_a1', 'app-alice'), sub('sub_a2', 'app-alice'), sub('sub_m', 'app-mallory')]) {
    await subscriptions.create(s);
  }
  const a1 = newDelivery({ messageId: 'evt-1', topic: 'orders.created' }, sub('sub_a1', 'app-alice'), T0);
  const a2 = newDelivery({ messageId: 'evt-1', topic: 'orders.created' }, sub('sub_a2', 'app-alice'), T0);
  const m = newDelivery({ messageId: 'evt-1', topic: 'orders.created' }, sub('sub_m', 'app-mallory'), T0);
  for (const d of [a1, a2, m]) await deliveries.save(d, 0);
  const sent = afterAttempt(a1, outcomeOfStatus(200), T0 + 100, [0]).delivery;
  await deliveries.save(sent, a1.version);
  return { actions, deliveries, queued, a1: sent, a2, m };
}

const code = (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (e: DomainError) => e.code,
  );

describe('DeliveryActions', () => {
  it("lists and reads only the app's own deliveries", async () => {
    const { actions, m, a1 } = await setup();
    const mine = await actions.list(alice, {}, { limit: 10 });
    expect(mine.items.map((d) => d.appId)).toEqual(['app-alice', 'app-alice']);
    expect(await code(actions.get(alice, m.deliveryId))).toBe('not-found');
    expect(await code(actions.replay(alice, m.deliveryId))).toBe('not-found');
    expect((await actions.get(alice, a1.deliveryId)).delivery.status).toBe('Sent');
  });

  it('replays a Sent delivery under the same id and refuses one still on its way', async () => {
    const { actions, a1, a2, queued } = await setup();
    const replayed = await actions.replay(alice, a1.deliveryId);
    expect(replayed).toMatchObject({ deliveryId: a1.deliveryId, status: 'Queued', roundAttempts: 0 });
    expect(queued).toEqual([a1.deliveryId]);
    expect(await code(actions.replay(alice, a2.deliveryId))).toBe('conflict');
  });

  it("derives a message's status from the app's deliveries of it, and shows its payload only to them", async () => {
    const { actions } = await setup();
    const { items } = await actions.listMessages(alice, {}, { limit: 10 });
    expect(items).toEqual([expect.objectContaining({ messageId: 'evt-1', status: 'Queued' })]);
    expect(items[0]!.deliveries).toHaveLength(2);
    const { message, deliveries } = await actions.getMessage(alice, 'evt-1');
    expect(message.payload).toEqual({ orderId: 'o-1' });
    expect(deliveries.map((d) => d.subscriptionId).sort()).toEqual(['sub_a1', 'sub_a2']);
    expect((await actions.getMessage(mallory, 'evt-1')).deliveries.map((d) => d.appId)).toEqual([
      'app-mallory',
    ]);
    expect(await code(actions.getMessage({ appId: 'app-nobody', scopes: [] }, 'evt-1'))).toBe('not-found');
    expect(await code(actions.getMessage(alice, 'evt-unknown'))).toBe('not-found');
  });

  it('shows times as RFC 3339 and the next attempt only while Queued', async () => {
    const { a1, a2 } = await setup();
    expect(deliveryView(a1)).toMatchObject({ status: 'Sent', sentAt: new Date(T0 + 100).toISOString() });
    expect(deliveryView(a1)).not.toHaveProperty('nextAttemptAt');
    expect(deliveryView(a2).nextAttemptAt).toBe(new Date(T0).toISOString());
  });
});

describe('readDeliveryQuery', () => {
  const read = (q: Record<string, string>) => readDeliveryQuery(new Map(Object.entries(q)));
  it('reads every filter', () => {
    expect(
      read({
        topic: 'orders.created',
        status: 'Failed',
        subscriptionId: 'sub_1',
        since: '2030-01-01T00:00:00Z',
      }),
    ).toEqual({ topic: 'orders.created', status: 'Failed', subscriptionId: 'sub_1', since: T0 });
  });
  it('refuses a bad one with bad-request', () => {
    const cases: Record<string, string>[] = [
      { topic: 'NOPE' },
      { status: 'sent' },
      { subscriptionId: 'x' },
      { since: 'yesterday' },
      { since: '1700000000' },
      { since: '2030-01-02T00:00:00Z', until: '2030-01-01T00:00:00Z' },
    ];
    for (const bad of cases) {
      expect(() => read(bad), JSON.stringify(bad)).toThrow(DomainError);
    }
  });
});
