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
