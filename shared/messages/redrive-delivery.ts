import { deadLetter } from './delivery.ts';
import type { DeliveryEvents, DeliveryQueue, DeliveryStore } from './ports.ts';
import { PLATFORM_RETRY_BOUNDS } from './retry-schedule.ts';

export interface RedriveDeps {
  deliveries: Pick<DeliveryStore, 'get' | 'save'>;
  queue: DeliveryQueue;
  events: DeliveryEvents;
  clock: () => number;
}

/** How long a delivery the workers keep failing on is put back before it is given up. */
export const REDRIVE_DELAY_MS = 15 * 60_000;
/** Past this age (the longest schedule the platform allows, and a day) a stuck delivery is given up. */
export const GIVE_UP_AFTER_MS = (PLATFORM_RETRY_BOUNDS.maxTotalSeconds + 86_400) * 1000;

/**
 * A delivery whose queue message the workers failed on again and again (it reached the delivery queue's
 * dead-letter queue: an AWS outage, a bug) is never left Queued with nothing to carry it: it goes back in
 * the queue 15 minutes later, until it is older than any schedule lasts; then it is Failed
 * (`undeliverable`), its app is told, and it can be recovered. A delivery no longer Queued is done.
 */
export async function redriveDelivery(
  deps: RedriveDeps,
  item: { deliveryId: string; subscriptionId: string },
): Promise<'requeued' | 'dead-lettered' | 'settled'> {
  const delivery = await deps.deliveries.get(item.deliveryId);
  if (delivery?.status !== 'Queued') return 'settled';
  const now = deps.clock();
  if (now - delivery.createdAt < GIVE_UP_AFTER_MS) {
    await deps.queue.enqueue([
      {
        deliveryId: delivery.deliveryId,
        subscriptionId: delivery.subscriptionId,
        dueAt: now + REDRIVE_DELAY_MS,
      },
    ]);
    return 'requeued';
  }
  const { delivery: failed, effects } = deadLetter(delivery, now);
  if (!(await deps.deliveries.save(failed, delivery.version))) return 'settled';
  if (effects.length > 0) await deps.events({ kind: 'exhausted', delivery: failed });
  return 'dead-lettered';
}
