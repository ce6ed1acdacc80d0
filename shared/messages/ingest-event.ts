import { type FanOutDeps, fanOutMessage } from './fan-out-message.ts';
import { type BusEvent, type Message, messageFromEvent } from './message.ts';
import type { MessageStore, TopicStore } from './ports.ts';

export interface IngestDeps extends FanOutDeps {
  topics: Pick<TopicStore, 'get'>;
  messages: Pick<MessageStore, 'saveOnce' | 'get'>;
}

export interface IngestResult {
  message: Message;
  /** `duplicate`: this event was taken in before (a redelivery); what was stored then stands. */
  outcome: 'stored' | 'duplicate';
  created: number;
  queued: number;
}

const parse = (body: string): BusEvent | undefined => {
  try {
    const value = JSON.parse(body) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as BusEvent)
      : undefined;
  } catch {
    return undefined;
  }
};

/**
 * One event from the ingest queue: validated against its topic, stored once (Accepted or Rejected with
 * its reason), and, if accepted, fanned out. A redelivered event is fanned out again from what was
 * stored the first time, so a crash between the steps loses nothing and a topic created meanwhile does
 * not turn a rejected message into a delivered one.
 */
export async function ingestEvent(
  deps: IngestDeps,
  body: string,
  fallbackId: string,
  now: Date,
): Promise<IngestResult> {
  const event = parse(body);
  const name = typeof event?.['detail-type'] === 'string' ? event['detail-type'] : undefined;
  const topic = name ? await deps.topics.get(name) : undefined;
  let message = messageFromEvent(event, topic, fallbackId, now);
  const outcome = await deps.messages.saveOnce(message);
  if (outcome === 'duplicate') message = (await deps.messages.get(message.messageId)) ?? message;
  if (message.status !== 'Accepted') return { message, outcome, created: 0, queued: 0 };
  return { message, outcome, ...(await fanOutMessage(deps, message)) };
}
