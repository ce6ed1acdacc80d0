import { fanOut } from './fan-out.ts';
import type { Message } from './message.ts';
import type { DeliveryQueue, DeliveryStore, SubscriptionStore } from './ports.ts';

export interface FanOutDeps {
  subscriptions: Pick<SubscriptionStore, 'listByTopic'>;
  deliveries: Pick<DeliveryStore, 'save' | 'get'>;
  queue: DeliveryQueue;
  clock: () => number;
}

/**
 * Creates the message's deliveries and queues the due ones. Safe to repeat after a crash at any point:
 * deliveries are created once (derived ids), and one already created is queued again only while it is
 * still Queued (a duplicate queue message is skipped by the worker).
 */
export async function fanOutMessage(
  deps: FanOutDeps,
  message: Pick<Message, 'messageId' | 'topic' | 'payload'>,
): Promise<{ created: number; queued: number }> {
  const now = deps.clock();
  const deliveries = fanOut(message, await deps.subscriptions.listByTopic(message.topic), now);
  let created = 0;
  const due: { deliveryId: string; subscriptionId: string; dueAt: number }[] = [];
  for (const delivery of deliveries) {
    if (await deps.deliveries.save(delivery, 0)) created++;
    const stored = (await deps.deliveries.get(delivery.deliveryId)) ?? delivery;
    if (stored.status === 'Queued') {
      due.push({
        deliveryId: stored.deliveryId,
        subscriptionId: stored.subscriptionId,
        dueAt: stored.dueAt!,
      });
    }
  }
  if (due.length > 0) await deps.queue.enqueue(due);
  return { created, queued: due.length };
}
