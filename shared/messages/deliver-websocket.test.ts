import { describe, expect, it } from 'vitest';
import { deliverWebsocket, type StreamDeliverDeps } from './deliver-websocket.ts';
import { acknowledge, newDelivery } from './delivery.ts';
import type { ConnectionPusher, Subscription } from './ports.ts';
import { newConnection } from './stream-connection.ts';
import { ACK_TIMEOUT_MS } from './stream-push.ts';
import {
  MemoryConnectionStore,
  MemoryDeliveryStore,
  MemoryMessageStore,
  MemorySubscriptionStore,
} from './testing/memory-stores.ts';

const T0 = Date.UTC(2030, 0, 1);
const sub = (over: Partial<Subscription> = {}): Subscription => ({
  subscriptionId: 'sub_ws',
  appId: 'app-1',
  topic: 'orders.created',
  mode: 'websocket',
  state: 'active',
  retrySchedule: [0, 5],
  health: {},
  secrets: [],
  version: 1,
  createdAt: T0,
  ...over,
});

/** A pusher whose connections are open unless listed as gone; it records every frame it sent. */
function pusher(gone: Set<string> = new Set()) {
  const sent: { connectionId: string; frame: Record<string, unknown> }[] = [];
  const push: ConnectionPusher = {
    push: async (connectionId, frame) => {
      if (gone.has(connectionId)) return 'gone';
      sent.push({ connectionId, frame: JSON.parse(frame) });
      return 'sent';
    },
  };
  return { push, sent, gone };
}

async function setup(subscription = sub()) {
  let now = T0;
  const deliveries = new MemoryDeliveryStore();
  const subscriptions = new MemorySubscriptionStore();
  const messages = new MemoryMessageStore();
  const connections = new MemoryConnectionStore();
  await subscriptions.create(subscription);
  await messages.saveOnce({
    messageId: 'evt-1',
    topic: 'orders.created',
    source: 'biz.orders',
    payload: { orderId: 'o-1' },
    status: 'Accepted',
    publishedAt: new Date(T0).toISOString(),
    receivedAt: new Date(T0).toISOString(),
  });
  const delivery = newDelivery({ messageId: 'evt-1', topic: 'orders.created' }, subscription, T0);
  await deliveries.save(delivery, 0);
  const p = pusher();
  const deps: StreamDeliverDeps = {
    deliveries,
    subscriptions,
    messages,
    connections,
    pusher: p.push,
    clock: () => now,
  };
  const connect = (id: string, at = T0) => connections.put(newConnection(id, 'app-1', ['sub_ws'], at));
  return {
    deps,
    deliveries,
    connections,
    p,
    connect,
    id: delivery.deliveryId,
    at: (ms: number) => {
      now = ms;
    },
  };
}

describe('pushing a WebSocket delivery', () => {
  it('pushes a due delivery to a listening connection and waits for its ack', async () => {
    const t = await setup();
    await t.connect('c1=');
    const outcome = await deliverWebsocket(t.deps, t.id);
    expect(outcome).toEqual({ result: 'pushed', dueAt: T0 + ACK_TIMEOUT_MS, connectionId: 'c1=', gone: 0 });
    expect(t.p.sent).toEqual([
      {
        connectionId: 'c1=',
        frame: expect.objectContaining({
          type: 'message',
          deliveryId: t.id,
          payload: { orderId: 'o-1' },
          attempt: 1,
        }),
      },
    ]);
    expect(await t.deliveries.get(t.id)).toMatchObject({ status: 'Queued', attempts: 1 });
    // The check at the end of the ack timeout finds it acknowledged: nothing more happens.
    const d = (await t.deliveries.get(t.id))!;
    await t.deliveries.save(acknowledge(d, T0 + 100), d.version);
    t.at(T0 + ACK_TIMEOUT_MS);
    expect(await deliverWebsocket(t.deps, t.id)).toEqual({ result: 'skipped' });
    expect(t.p.sent).toHaveLength(1);
  });

  it('pushes an unacknowledged one again on the schedule, then leaves it Queued for pull', async () => {
    const t = await setup();
    await t.connect('c1=');
    await deliverWebsocket(t.deps, t.id);
    t.at(T0 + ACK_TIMEOUT_MS);
    expect(await deliverWebsocket(t.deps, t.id)).toEqual({
      result: 'not-due',
      dueAt: T0 + ACK_TIMEOUT_MS + 5_000,
    });
    t.at(T0 + ACK_TIMEOUT_MS + 5_000);
    expect((await deliverWebsocket(t.deps, t.id)).result).toBe('pushed');
    expect(t.p.sent.map((s) => s.frame.attempt)).toEqual([1, 2]);
    t.at(T0 + 10 * ACK_TIMEOUT_MS);
    expect(await deliverWebsocket(t.deps, t.id)).toEqual({ result: 'spent' });
    expect(await t.deliveries.get(t.id)).toMatchObject({ status: 'Queued', attempts: 2 });
  });

  it('sends nothing and counts no attempt while nobody is connected', async () => {
    const t = await setup();
    expect(await deliverWebsocket(t.deps, t.id)).toEqual({ result: 'no-connection', gone: 0 });
    expect(await t.deliveries.get(t.id)).toMatchObject({ status: 'Queued', attempts: 0, dueAt: T0 });
  });

  it('forgets a connection found gone, and takes the push back when no connection got it', async () => {
    const t = await setup();
    await t.connect('dead=');
    t.p.gone.add('dead=');
    expect(await deliverWebsocket(t.deps, t.id)).toEqual({ result: 'no-connection', gone: 1 });
    expect(await t.connections.get('dead=', T0)).toBeUndefined();
    expect(await t.connections.listeners('sub_ws', T0)).toEqual([]);
    expect(await t.deliveries.get(t.id)).toMatchObject({ status: 'Queued', attempts: 0, dueAt: T0 });
  });

  it('offers the delivery to the next connection when one is gone', async () => {
    const t = await setup();
    await t.connect('dead=', T0);
    await t.connect('live=', T0 + 1);
    t.p.gone.add('dead=');
    // Whichever connection its id starts at, the delivery ends on the live one.
    expect(await deliverWebsocket(t.deps, t.id)).toMatchObject({ result: 'pushed', connectionId: 'live=' });
    expect((await t.connections.listeners('sub_ws', T0)).map((l) => l.connectionId)).toContain('live=');
  });

  it('takes a push back when the connection fails otherwise, and fails the record', async () => {
    const t = await setup();
    await t.connect('c1=');
    t.deps.pusher = { push: async () => Promise.reject(new Error('throttled')) };
    await expect(deliverWebsocket(t.deps, t.id)).rejects.toThrow('throttled');
    expect(await t.deliveries.get(t.id)).toMatchObject({ status: 'Queued', attempts: 0, dueAt: T0 });
  });

  it('holds the delivery of a paused subscription and skips what is not a websocket one', async () => {
    const paused = await setup();
    await paused.connect('c1=');
    await (paused.deps.subscriptions as MemorySubscriptionStore).save(
      sub({ state: 'paused', version: 2 }),
      1,
    );
    expect(await deliverWebsocket(paused.deps, paused.id)).toEqual({ result: 'held' });
    expect((await paused.deliveries.get(paused.id))?.status).toBe('Paused');
    const pull = await setup(sub({ mode: 'pull' }));
    expect(await deliverWebsocket(pull.deps, pull.id)).toEqual({ result: 'skipped' });
    expect(await deliverWebsocket(pull.deps, 'msg_unknown')).toEqual({ result: 'skipped' });
  });

  it('lets one of two racing workers push', async () => {
    const t = await setup();
    await t.connect('c1=');
    const outcomes = await Promise.all([deliverWebsocket(t.deps, t.id), deliverWebsocket(t.deps, t.id)]);
    expect(outcomes.map((o) => o.result).sort()).toEqual(['pushed', 'superseded']);
    expect(t.p.sent).toHaveLength(1);
  });
});
