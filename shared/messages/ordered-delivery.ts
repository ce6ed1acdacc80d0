import type { Delivery } from './delivery.ts';
import type { DeliveryStore } from './ports.ts';

/**
 * Ordered subscriptions (opt-in): their webhook deliveries go one at a time, oldest first. Only the head
 * — the oldest Queued delivery — is ever in the delivery queue or attempted; when it is Sent or Failed,
 * the worker queues the next head. A failing head holds the rest back (head-of-line blocking, the price
 * of order), and each new message queues the head again if it is due, so a chain broken by a crash
 * restarts with the next message.
 */
export async function headOf(
  deliveries: Pick<DeliveryStore, 'listBySubscription'>,
  subscriptionId: string,
): Promise<Delivery | undefined> {
  const { items } = await deliveries.listBySubscription(subscriptionId, 'Queued', {}, { limit: 1 });
  return items[0];
}
