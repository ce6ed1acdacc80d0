import { describe, expect, it } from 'vitest';
import type { DomainError } from '../kernel/errors.ts';
import { newDelivery } from './delivery.ts';
import type { Subscription } from './ports.ts';
import { acknowledgeDeliveries, pullDeliveries } from './pull-deliveries.ts';
import { MemoryDeliveryStore, MemoryMessageStore } from './testing/memory-stores.ts';

const T0 = Date.UTC(2030, 0, 1);
const sub = (over: Partial<Subscription> = {}): Subscription => ({
  subscriptionId: 'sub_pull',
  appId: 'app-1',
  topic: 'orders.created',
  mode: 'pull',
  state: 'active',
  health: {},
  secrets: [],
  version: 1,
  createdAt: T0,
  ...over,
});

async function setup(count = 3) {
  let now = T0;
  const deliveries = new MemoryDeliveryStore();
  const messages = new MemoryMessageStore();
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    await messages.saveOnce({
      messageId: `evt-${i}`,
      topic: 'orders.created',
      source: 'biz.orders',
      payload: { n: i },
      status: 'Accepted',
      publishedAt: new Date(T0).toISOString(),
      receivedAt: new Date(T0).toISOString(),
    });
    const d = newDelivery({ messageId: `evt-${i}`, topic: 'orders.created' }, sub(), T0 + i);
    await deliveries.save(d, 0);
    ids.push(d.deliveryId);
  }
  now = T0 + count;
  const deps = { deliveries, messages, clock: () => now };
  const advance = (ms: number) => {
    now += ms;
  };
  return { deps, deliveries, ids, advance };
}

describe('pulling deliveries', () => {
  it('leases due deliveries oldest first; unacknowledged ones come back after the lease, acknowledged ones never', async () => {
    const { deps, deliveries, ids, advance } = await setup();
    const first = await pullDeliveries(deps, sub(), { max: 2, leaseSeconds: 30 });
    expect(first.map((p) => p.deliveryId)).toEqual(ids.slice(0, 2));
    expect(first[0]).toMatchObject({ messageId: 'evt-0', payload: { n: 0 }, attempt: 1 });
    expect((await pullDeliveries(deps, sub(), {})).map((p) => p.deliveryId)).toEqual([ids[2]]);
    expect(await pullDeliveries(deps, sub(), {})).toEqual([]);

    expect(await acknowledgeDeliveries(deps, sub(), { deliveryIds: [ids[0]] })).toEqual({
      acknowledged: [ids[0]],
      unknown: [],
    });
    advance(31_000);
    const again = await pullDeliveries(deps, sub(), {});
    expect(again.map((p) => p.deliveryId)).toEqual([ids[1]]);
    expect(again[0]!.attempt).toBe(2);
    expect((await deliveries.get(ids[0]!))?.status).toBe('Sent');
  });

  it('never leases one delivery to two pullers at once', async () => {
    const { deps } = await setup(20);
    const [a, b] = await Promise.all([
      pullDeliveries(deps, sub(), { max: 20 }),
      pullDeliveries(deps, sub(), { max: 20 }),
    ]);
    const all = [...a!, ...b!].map((p) => p.deliveryId);
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBe(20);
  });

  it("reports ids that are not the subscription's, and acknowledges twice harmlessly", async () => {
    const { deps, ids } = await setup(1);
    const other = sub({ subscriptionId: 'sub_other' });
    expect(await acknowledgeDeliveries(deps, other, { deliveryIds: [ids[0]] })).toEqual({
      acknowledged: [],
      unknown: [ids[0]],
    });
    await acknowledgeDeliveries(deps, sub(), { deliveryIds: [ids[0]] });
    expect((await acknowledgeDeliveries(deps, sub(), { deliveryIds: [ids[0]] })).acknowledged).toEqual([
      ids[0],
    ]);
  });

  it('refuses webhook subscriptions and bad bodies; a paused subscription yields nothing', async () => {
    const { deps } = await setup(1);
    const code = (p: Promise<unknown>) =>
      p.then(
        () => 'ok',
        (e: DomainError) => e.code,
      );
    expect(await code(pullDeliveries(deps, sub({ mode: 'webhook' }), {}))).toBe('conflict');
    expect(await code(pullDeliveries(deps, sub(), { max: 0 }))).toBe('validation-failed');
    expect(await code(pullDeliveries(deps, sub(), { leaseSeconds: 99_999 }))).toBe('validation-failed');
    expect(await code(acknowledgeDeliveries(deps, sub(), { deliveryIds: [] }))).toBe('validation-failed');
    expect(await code(acknowledgeDeliveries(deps, sub(), { deliveryIds: ['nope'] }))).toBe(
      'validation-failed',
    );
    expect(await pullDeliveries(deps, sub({ state: 'paused' }), {})).toEqual([]);
  });
});
