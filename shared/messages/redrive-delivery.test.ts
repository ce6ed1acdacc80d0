import { describe, expect, it } from 'vitest';
import { newDelivery } from './delivery.ts';
import type { DeliveryEvent } from './ports.ts';
import { GIVE_UP_AFTER_MS, REDRIVE_DELAY_MS, redriveDelivery } from './redrive-delivery.ts';
import { MemoryDeliveryStore } from './testing/memory-stores.ts';

const T0 = Date.UTC(2030, 0, 1);

async function setup(now: number) {
  const deliveries = new MemoryDeliveryStore();
  const d = newDelivery(
    { messageId: 'evt-1', topic: 'orders.created' },
    { subscriptionId: 'sub_1', appId: 'app-1', state: 'active' },
    T0,
  );
  await deliveries.save(d, 0);
  const queued: { deliveryId: string; dueAt: number }[] = [];
  const events: DeliveryEvent[] = [];
  const deps = {
    deliveries,
    queue: {
      enqueue: async (items: readonly { deliveryId: string; dueAt: number }[]) => void queued.push(...items),
    },
    events: async (e: DeliveryEvent) => void events.push(e),
    clock: () => now,
  };
  return { deps, d, deliveries, queued, events };
}

describe('redriving a dead-lettered delivery', () => {
  it('puts a young one back in the queue, later', async () => {
    const t = await setup(T0 + 60_000);
    expect(await redriveDelivery(t.deps, t.d)).toBe('requeued');
    expect(t.queued).toEqual([
      { deliveryId: t.d.deliveryId, subscriptionId: 'sub_1', dueAt: T0 + 60_000 + REDRIVE_DELAY_MS },
    ]);
  });

  it('gives an old one up as Failed (undeliverable) and tells its app', async () => {
    const t = await setup(T0 + GIVE_UP_AFTER_MS + 1);
    expect(await redriveDelivery(t.deps, t.d)).toBe('dead-lettered');
    expect(await t.deliveries.get(t.d.deliveryId)).toMatchObject({
      status: 'Failed',
      lastError: 'undeliverable',
    });
    expect(t.events.map((e) => e.kind)).toEqual(['exhausted']);
  });

  it('leaves a delivery that moved on alone', async () => {
    const t = await setup(T0 + 1);
    expect(await redriveDelivery(t.deps, { deliveryId: 'msg_unknown', subscriptionId: 'sub_1' })).toBe(
      'settled',
    );
    expect(t.queued).toEqual([]);
  });
});
