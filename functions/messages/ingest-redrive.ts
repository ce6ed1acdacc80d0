import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { sqs } from '../../shared/aws/sqs.ts';
import { loadSettings } from '../../shared/config/settings.ts';
import { eventHandler } from '../../shared/event-handler.ts';
import { SqsIngestRequeue } from '../../shared/messages/adapters/sqs-ingest-requeue.ts';
import { INGEST_ORIGIN, redriveIngest } from '../../shared/messages/redrive-ingest.ts';
import { count, createLogger, createMetrics } from '../../shared/observability.ts';

const config = loadSettings(['INGEST_QUEUE_URL', 'INGEST_DEAD_LETTER_QUEUE_URL']);
const logger = createLogger('messages-ingest-redrive');
const metrics = createMetrics('messages-ingest-redrive');
const queue = new SqsIngestRequeue(sqs, config.INGEST_QUEUE_URL, config.INGEST_DEAD_LETTER_QUEUE_URL);
const processor = new BatchProcessor(EventType.SQS);

/** The ingest queue's dead letters: back in the queue 15 minutes later, or left for an operator when old. */
const redrive = async (record: SQSRecord): Promise<void> => {
  const attribute = (name: string) => record.messageAttributes[name]?.stringValue;
  const firstSentAt = Number(attribute(INGEST_ORIGIN.firstSentAt));
  const originId = attribute(INGEST_ORIGIN.originId);
  const outcome = await redriveIngest(
    { queue },
    {
      body: record.body,
      messageId: record.messageId,
      sentAt: Number(record.attributes.SentTimestamp),
      origin: { ...(firstSentAt > 0 ? { firstSentAt } : {}), ...(originId ? { originId } : {}) },
    },
    Date.now(),
  );
  logger.warn('dead-lettered event', { messageId: record.messageId, originId, outcome });
  if (outcome === 'requeued') {
    count(metrics, 'IngestEventsRedriven');
    return;
  }
  count(metrics, 'IngestEventsLeftForOperators');
  // Failing the record keeps it in the dead-letter queue; held out of sight meanwhile, not read every minute.
  await queue.holdInDeadLetters(record.receiptHandle);
  throw new Error('left in the dead-letter queue for an operator');
};

export const handler = eventHandler(logger, metrics, (event: SQSEvent) =>
  processPartialResponse(event, redrive, processor),
);
