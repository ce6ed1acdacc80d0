/** Every key of the messages table, in one place (docs/data-model.md lists them). */
export const messageKey = (messageId: string) => ({ pk: `MSG#${messageId}`, sk: 'MSG' });
export const deliveryKey = (deliveryId: string) => ({ pk: `DLV#${deliveryId}`, sk: 'DLV' });
/**
 * A delivery's attempts sit in its item collection, in attempt order (zero-padded), then time: two
 * workers that both made attempt n (the receiver got it twice) leave two records; a retried write of
 * one record leaves one.
 */
export const attemptKey = (deliveryId: string, attempt: number, at: number) => ({
  pk: `DLV#${deliveryId}`,
  sk: `ATT#${String(attempt).padStart(6, '0')}#${String(at).padStart(15, '0')}`,
});
export const subscriptionKey = (subscriptionId: string) => ({ pk: `SUB#${subscriptionId}`, sk: 'SUB' });
/** A topic's subscriptions: one pointer each (what fan-out needs), in the topic's item collection. */
export const topicSubscriptionKey = (topic: string, subscriptionId: string) => ({
  pk: `TOPIC#${topic}`,
  sk: `SUB#${subscriptionId}`,
});
export const subscriptionsOf = (topic: string) => ({ pk: `TOPIC#${topic}`, skPrefix: 'SUB#' });
export const attemptsOf = (deliveryId: string) => ({ pk: `DLV#${deliveryId}`, skPrefix: 'ATT#' });
/** Every topic sits in one partition (dozens, written by operators), one item each, sorted by name. */
export const TOPICS_PARTITION = 'TOPICS';
export const topicKey = (name: string) => ({ pk: TOPICS_PARTITION, sk: name });

const padded = (n: number) => String(Math.max(0, Math.trunc(n))).padStart(15, '0');

/** gsi1: an app's subscriptions and deliveries, each by creation time (the developer API's listings). */
export const appSubscriptionsIndex = (appId: string) => `APP#${appId}#SUB`;
export const appDeliveriesIndex = (appId: string) => `APP#${appId}#DLV`;
export const byCreation = (createdAt: number, id: string) => `${padded(createdAt)}#${id}`;
/** gsi1 sort keys from `at` on (a time bound of a listing). */
export const fromTime = (at: number) => padded(at);

/**
 * gsi2: a subscription's deliveries in one status, by when they are due (Queued) or last moved (the
 * others): what pull, resume and recover read.
 */
export const subscriptionStatusIndex = (subscriptionId: string, status: string) =>
  `SUB#${subscriptionId}#${status}`;
export const byStatusTime = (at: number, deliveryId: string) => `${padded(at)}#${deliveryId}`;

/** An open WebSocket connection of the message stream (`shared/messages/stream-connection.ts`). */
export const connectionKey = (connectionId: string) => ({ pk: `CONN#${connectionId}`, sk: 'CONN' });
/**
 * That a connection listens to a subscription: one item per (subscription, connection), in a partition
 * of its own (not the subscription's `SUB#`), so the stream function writes no key a subscription uses.
 */
export const listenerKey = (subscriptionId: string, connectionId: string) => ({
  pk: `LISTEN#${subscriptionId}`,
  sk: `CONN#${connectionId}`,
});
export const listenersOf = (subscriptionId: string) => ({
  pk: `LISTEN#${subscriptionId}`,
  skPrefix: 'CONN#',
});
