export type MessageStatus = 'Queued' | 'Sent' | 'Failed';

/** A business event accepted for delivery to the apps subscribed to its topic. */
export interface Message {
  messageId: string;
  topic: string;
  source: string;
  payload: unknown;
  status: MessageStatus;
  publishedAt: string;
  receivedAt: string;
}

export class InvalidEventError extends Error {
  override name = 'InvalidEventError';
}

/** The members of an EventBridge event that make a message. */
export interface BusEvent {
  id?: string;
  'detail-type'?: string;
  source?: string;
  time?: string;
  detail?: unknown;
}

/** Internal systems publish on the Portico bus with `source` = `biz.<system>`, `detail-type` = topic. */
export function messageFromEvent(event: BusEvent, now: Date): Message {
  if (!event.id || !event['detail-type'] || !event.source?.startsWith('biz.')) {
    throw new InvalidEventError('event lacks an id, a topic (detail-type) or a biz.* source');
  }
  return {
    messageId: event.id,
    topic: event['detail-type'],
    source: event.source,
    payload: event.detail ?? null,
    status: 'Queued',
    publishedAt: event.time ?? now.toISOString(),
    receivedAt: now.toISOString(),
  };
}
