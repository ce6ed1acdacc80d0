import { fanOut } from './fan-out.ts';
import type { Message } from './message.ts';
import { headOf } from './ordered-delivery.ts';
import type { DeliveryQueue, DeliveryStore, SubscriptionStore } from './ports.ts';

/** An ordered subscription's head due and untouched this long is queued again by the next fan-out. */
export const STALLED_HEAD_MS = 60_000;

export interface FanOutDeps {
  subscriptions: Pick<SubscriptionStore, 'listByTopic'>;
  deliveries: Pick<DeliveryStore, 'save' | 'get' | 'listBySubscription'>;
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
  message: Pick<Message, 'messageId' | 'topic' | 'payload' | 'audience'>,
): Promise<{ created: number; queued: number }> {
  const now = deps.clock();
  const targets = await deps.subscriptions.listByTopic(message.topic);
  // The platform sends webhook and WebSocket deliveries; pull ones wait in the table for their app.
  const pushed = new Set(
    targets.filter((t) => (t.mode ?? 'webhook') !== 'pull').map((t) => t.subscriptionId),
  );
  const ordered = new Set(targets.filter((t) => t.ordered).map((t) => t.subscriptionId));
  const deliveries = fanOut(message, targets, now);
  let created = 0;
  const due: { deliveryId: string; subscriptionId: string; dueAt: number }[] = [];
  for (const delivery of deliveries) {
    // A delivery created just now is as written; one that already existed (a repeat after a crash) is
    // read back, since its status decides whether it is queued again.
    const isNew = await deps.deliveries.save(delivery, 0);
    if (isNew) created++;
    const stored = isNew ? delivery : ((await deps.deliveries.get(delivery.deliveryId)) ?? delivery);
    if (ordered.has(stored.subscriptionId)) {
      // Only the head of an ordered subscription is queued: a new one, or one due but left idle for a
      // minute (its chain broken by a crash); a head waiting for a retry has its own message.
      const head =
        stored.status === 'Queued' ? await headOf(deps.deliveries, stored.subscriptionId) : undefined;
      const stalled = head !== undefined && head.dueAt! <= now && head.updatedAt <= now - STALLED_HEAD_MS;
      if (head && (head.deliveryId === stored.deliveryId || stalled)) {
        due.push({ deliveryId: head.deliveryId, subscriptionId: head.subscriptionId, dueAt: head.dueAt! });
      }
    } else if (stored.status === 'Queued' && pushed.has(stored.subscriptionId)) {
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
