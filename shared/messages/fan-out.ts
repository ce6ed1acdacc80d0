import { type Delivery, newDelivery } from './delivery.ts';
import {
  type DeliveryMode,
  matchesFilter,
  type PayloadFilter,
  type SubscriptionState,
} from './subscription.ts';

/** What fan-out needs to know of a subscription. */
export interface SubscriptionTarget {
  subscriptionId: string;
  appId: string;
  topic: string;
  filter?: PayloadFilter;
  state: SubscriptionState;
  /** Only webhook deliveries go through the delivery queue; absent on pointers written before modes. */
  mode?: DeliveryMode;
  /** Deliveries go one at a time, oldest first. */
  ordered?: boolean;
}

/**
 * One delivery per subscription of the message's topic whose filter the payload passes. Paused and
 * disabled subscriptions get theirs too, held (Paused), so resuming delivers what came meanwhile.
 * Delivery ids are derived: fanning the same message out again yields the same deliveries.
 */
export function fanOut(
  message: { messageId: string; topic: string; payload: unknown; audience?: string },
  subscriptions: readonly SubscriptionTarget[],
  at: number,
): Delivery[] {
  const seen = new Set<string>();
  const deliveries: Delivery[] = [];
  for (const subscription of subscriptions) {
    if (subscription.topic !== message.topic || seen.has(subscription.subscriptionId)) continue;
    if (message.audience !== undefined && subscription.appId !== message.audience) continue;
    if (!matchesFilter(subscription.filter, message.payload)) continue;
    seen.add(subscription.subscriptionId);
    deliveries.push(newDelivery(message, subscription, at));
  }
  return deliveries;
}
