/** How long an event the ingest kept failing on waits before it is tried again. */
export const INGEST_REDRIVE_DELAY_SECONDS = 15 * 60;
/** Past this age (from its first enqueue) an event is left in the dead-letter queue for an operator. */
export const INGEST_GIVE_UP_AFTER_MS = 4 * 86_400_000;

/**
 * Message attributes a redriven event carries, so that it is the same event however often it comes
 * back: when it was first queued, and the queue message id ingest falls back on for an event without
 * an id of its own.
 */
export const INGEST_ORIGIN = { firstSentAt: 'portico-first-sent-at', originId: 'portico-origin-id' } as const;

export interface DeadLetteredEvent {
  body: string;
  /** The dead-letter queue's message id and when it was first queued (SQS keeps that when it moves a message). */
  messageId: string;
  sentAt: number;
  /** The origin attributes, when the event was redriven before. */
  origin: { firstSentAt?: number; originId?: string };
}

export interface IngestRequeue {
  /** Puts the event back in the ingest queue, visible after `delaySeconds`, with its origin attributes. */
  requeue(
    body: string,
    origin: { firstSentAt: number; originId: string },
    delaySeconds: number,
  ): Promise<void>;
}

/**
 * An event that reached the ingest queue's dead-letter queue (ingest failed on it again and again: an
 * AWS outage, a bug) is not left there to expire: it goes back in the ingest queue 15 minutes later,
 * as the same event (ingest is idempotent on its id), until it is four days old; then it is left in the
 * dead-letter queue, whose alarm has been on since it arrived, for an operator.
 */
export async function redriveIngest(
  deps: { queue: IngestRequeue },
  event: DeadLetteredEvent,
  now: number,
): Promise<'requeued' | 'left-for-operators'> {
  const firstSentAt = event.origin.firstSentAt ?? event.sentAt;
  if (now - firstSentAt >= INGEST_GIVE_UP_AFTER_MS) return 'left-for-operators';
  await deps.queue.requeue(
    event.body,
    { firstSentAt, originId: event.origin.originId ?? event.messageId },
    INGEST_REDRIVE_DELAY_SECONDS,
  );
  return 'requeued';
}
