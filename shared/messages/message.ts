import { DomainError } from '../kernel/errors.ts';
import { checkPayload, type Topic } from './topic.ts';

/**
 * A business event as the platform took it in: `Accepted` (valid for its topic, fanned out to the
 * topic's subscriptions) or `Rejected` (kept with its reason, delivered to no one). What a reader sees
 * as the status of an accepted message (seed 000's Queue | Sent | Fail) is derived from its deliveries.
 */
export interface Message {
  messageId: string;
  topic: string;
  /** `biz.<system>` on the bus; `publisher:<appId>` through the publish API. */
  source: string;
  payload: unknown;
  status: 'Accepted' | 'Rejected';
  rejection?: Rejection;
  /** A platform message about one app: only that app's subscriptions receive it. */
  audience?: string;
  publishedAt: string;
  receivedAt: string;
}

export type RejectionReason = 'malformed-event' | 'unknown-topic' | 'invalid-payload' | 'payload-too-large';

export interface Rejection {
  reason: RejectionReason;
  detail: string;
}

/** The members of an EventBridge event that make a message. */
export interface BusEvent {
  id?: string;
  'detail-type'?: string;
  source?: string;
  time?: string;
  detail?: unknown;
}

const rejectionOf = (error: unknown): Rejection => {
  if (error instanceof DomainError && error.code === 'payload-too-large') {
    return { reason: 'payload-too-large', detail: error.detail ?? 'payload too large' };
  }
  if (error instanceof DomainError)
    return { reason: 'invalid-payload', detail: error.detail ?? 'invalid payload' };
  throw error;
};

/**
 * Takes in one event from the bus. `fallbackId` names it when it carries no id (the queue message id:
 * the same on every redelivery), so even an event that cannot be read is kept, as Rejected.
 */
export function messageFromEvent(
  event: BusEvent | undefined,
  topic: Topic | undefined,
  fallbackId: string,
  now: Date,
): Message {
  const received = now.toISOString();
  const base = {
    messageId: typeof event?.id === 'string' && event.id !== '' ? event.id : fallbackId,
    topic: typeof event?.['detail-type'] === 'string' ? event['detail-type'] : '',
    source: typeof event?.source === 'string' ? event.source : '',
    payload: event?.detail ?? null,
    publishedAt: typeof event?.time === 'string' ? event.time : received,
    receivedAt: received,
  };
  const reject = (rejection: Rejection): Message => ({ ...base, status: 'Rejected', rejection });
  if (!event || base.messageId === fallbackId || base.topic === '' || !base.source.startsWith('biz.')) {
    return reject({
      reason: 'malformed-event',
      detail: 'An event needs an id, a topic (detail-type) and a biz.* source.',
    });
  }
  if (!topic || topic.name !== base.topic) {
    return reject({ reason: 'unknown-topic', detail: `No topic is named "${base.topic.slice(0, 64)}".` });
  }
  try {
    checkPayload(topic, base.payload);
  } catch (error) {
    return reject(rejectionOf(error));
  }
  return { ...base, status: 'Accepted' };
}
