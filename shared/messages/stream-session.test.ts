import { describe, expect, it } from 'vitest';
import type { DomainError } from '../kernel/errors.ts';
import { newDelivery } from './delivery.ts';
import type { QueueItem, Subscription } from './ports.ts';
import {
  acknowledgeOverStream,
  closeStream,
  openStream,
  readClientFrame,
  resumeStream,
  type StreamSessionDeps,
} from './stream-session.ts';
import {
  MemoryConnectionStore,
  MemoryDeliveryStore,
  MemorySubscriptionStore,
} from './testing/memory-stores.ts';

const T0 = Date.UTC(2030, 0, 1);
const sub = (subscriptionId: string, over: Partial<Subscription> = {}): Subscription => ({
  subscriptionId,
  appId: 'app-1',
  topic: 'orders.created',
  mode: 'websocket',
  state: 'active',
  health: {},
  secrets: [],
  version: 1,
  createdAt: T0,
  ...over,
});

async function setup() {
  const now = T0 + 1_000;
  const subscriptions = new MemorySubscriptionStore();
  const connections = new MemoryConnectionStore();
  const deliveries = new MemoryDeliveryStore();
  const queued: QueueItem[] = [];
  for (const s of [
    sub('sub_a'),
    sub('sub_b', { state: 'paused' }),
    sub('sub_hook', { mode: 'webhook' }),
    sub('sub_theirs', { appId: 'app-2' }),
  ]) {
    await subscriptions.create(s);
  }
  const deliver = async (subscriptionId: string, n: number) => {
    const d = newDelivery(
      { messageId: `evt-${subscriptionId}-${n}`, topic: 'orders.created' },
      { subscriptionId, appId: subscriptionId === 'sub_theirs' ? 'app-2' : 'app-1', state: 'active' },
      T0 + n,
    );
    await deliveries.save(d, 0);
    return d.deliveryId;
  };
  const deps: StreamSessionDeps = {
    subscriptions,
    connections,
    deliveries,
    queue: { enqueue: async (items) => void queued.push(...items) },
    clock: () => now,
  };
  return { deps, connections, deliveries, queued, deliver };
}

const codeOf = (error: unknown) => (error as DomainError).code;

describe('the message stream session', () => {
  it("opens a connection on the app's websocket subscriptions, or the one asked for", async () => {
    const { deps, connections } = await setup();
    const all = await openStream(deps, 'app-1', 'c1=', undefined);
    expect(all.subscriptionIds).toEqual(['sub_a', 'sub_b']);
    expect((await connections.listeners('sub_a', T0)).map((l) => l.connectionId)).toEqual(['c1=']);
    const one = await openStream(deps, 'app-1', 'c2=', 'sub_a');
    expect(one.subscriptionIds).toEqual(['sub_a']);
    expect(codeOf(await openStream(deps, 'app-1', 'c3=', 'sub_theirs').catch((e) => e))).toBe('not-found');
    expect(codeOf(await openStream(deps, 'app-1', 'c3=', 'sub_hook').catch((e) => e))).toBe('conflict');
    expect(codeOf(await openStream(deps, 'app-3', 'c3=', undefined).catch((e) => e))).toBe('conflict');
    expect(await connections.get('c3=', T0)).toBeUndefined();
    await closeStream(deps, 'c1=');
    expect(await connections.get('c1=', T0)).toBeUndefined();
    expect((await connections.listeners('sub_a', T0)).map((l) => l.connectionId)).toEqual(['c2=']);
  });

  it("acknowledges deliveries of the connection's subscriptions only", async () => {
    const { deps, deliveries, deliver } = await setup();
    await openStream(deps, 'app-1', 'c1=', 'sub_a');
    const mine = await deliver('sub_a', 1);
    const otherSubscription = await deliver('sub_b', 1);
    const theirs = await deliver('sub_theirs', 1);
    const answer = await acknowledgeOverStream(
      deps,
      'c1=',
      readClientFrame(JSON.stringify({ action: 'ack', deliveryIds: [mine, otherSubscription, theirs] })),
    );
    expect(answer).toEqual({ acknowledged: [mine], unknown: [otherSubscription, theirs] });
    expect((await deliveries.get(mine))?.status).toBe('Sent');
    expect((await deliveries.get(theirs))?.status).toBe('Queued');
    expect((await deliveries.get(otherSubscription))?.status).toBe('Queued');
    // A closed connection holds nothing.
    await closeStream(deps, 'c1=');
    const later = await deliver('sub_a', 2);
    expect(
      (await acknowledgeOverStream(deps, 'c1=', { action: 'ack', deliveryIds: [later] })).unknown,
    ).toEqual([later]);
  });

  it('refuses a malformed frame or acknowledgement and changes nothing', async () => {
    const { deps } = await setup();
    await openStream(deps, 'app-1', 'c1=', undefined);
    for (const body of ['not json', '[1]', 'null', undefined]) {
      expect(
        codeOf(
          await Promise.resolve()
            .then(() => readClientFrame(body))
            .catch((e) => e),
        ),
      ).toBe('malformed-body');
    }
    for (const frame of [
      { action: 'ack' },
      { action: 'ack', deliveryIds: [] },
      { action: 'ack', deliveryIds: ['nope'] },
      { action: 'ack', deliveryIds: ['msg_aaaaaaaaaaaaaaaaaaaaaaaaaaa'], extra: 1 },
    ]) {
      expect(codeOf(await acknowledgeOverStream(deps, 'c1=', frame).catch((e) => e))).toBe(
        'validation-failed',
      );
    }
  });

  it("queues the due backlog of the connection's active subscriptions on resume", async () => {
    const { deps, queued, deliver } = await setup();
    await openStream(deps, 'app-1', 'c1=', undefined);
    const a1 = await deliver('sub_a', 1);
    const a2 = await deliver('sub_a', 2);
    await deliver('sub_b', 1);
    await deliver('sub_theirs', 1);
    expect(await resumeStream(deps, 'c1=')).toEqual({ queued: 2, more: false });
    expect(queued.map((q) => q.deliveryId)).toEqual([a1, a2]);
    expect(codeOf(await resumeStream(deps, 'gone=').catch((e) => e))).toBe('not-found');
  });
});
