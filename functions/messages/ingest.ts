import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { backgroundDynamoDocument } from '../../shared/aws/dynamo.ts';
import { sqs } from '../../shared/aws/sqs.ts';
import { loadSettings } from '../../shared/config/settings.ts';
import { eventHandler } from '../../shared/event-handler.ts';
import { DynamoDeliveryStore } from '../../shared/messages/adapters/dynamo-delivery-store.ts';
import { DynamoMessageStore } from '../../shared/messages/adapters/dynamo-message-store.ts';
import { DynamoSubscriptionStore } from '../../shared/messages/adapters/dynamo-subscription-store.ts';
import { DynamoTopicStore } from '../../shared/messages/adapters/dynamo-topic-store.ts';
import { SqsDeliveryQueue } from '../../shared/messages/adapters/sqs-delivery-queue.ts';
import { type IngestDeps, ingestEvent } from '../../shared/messages/ingest-event.ts';
import { INGEST_ORIGIN } from '../../shared/messages/redrive-ingest.ts';
import { cachedTopics } from '../../shared/messages/topic-cache.ts';
import { count, createLogger, createMetrics } from '../../shared/observability.ts';

const config = loadSettings(['MESSAGES_TABLE', 'DELIVERY_QUEUE_URL']);

const logger = createLogger('messages-ingest');
const metrics = createMetrics('messages-ingest');
const table = config.MESSAGES_TABLE;
const deps: IngestDeps = {
  topics: cachedTopics(new DynamoTopicStore(backgroundDynamoDocument, table)),
  messages: new DynamoMessageStore(backgroundDynamoDocument, table),
  subscriptions: new DynamoSubscriptionStore(backgroundDynamoDocument, table),
  deliveries: new DynamoDeliveryStore(backgroundDynamoDocument, table),
  queue: new SqsDeliveryQueue(sqs, config.DELIVERY_QUEUE_URL),
  clock: Date.now,
};
const processor = new BatchProcessor(EventType.SQS);

/**
 * Business events (EventBridge → SQS, or the publish API → SQS) become messages, exactly once per event
 * id: accepted ones are fanned out to their topic's subscriptions, the others kept as Rejected (counted,
 * alarmed on). A record that fails (AWS unavailable) is reported alone; after the queue's receive limit
 * it lands in the dead-letter queue.
 */
const ingest = async (record: SQSRecord): Promise<void> => {
  const { message, outcome, created, queued } = await ingestEvent(
    deps,
    record.body,
    // A redriven event keeps the id of the queue message it first came in (redrive-ingest.ts).
    `sqs_${record.messageAttributes[INGEST_ORIGIN.originId]?.stringValue ?? record.messageId}`,
    new Date(),
  );
  const fields = { messageId: message.messageId, topic: message.topic, outcome, created, queued };
  if (outcome === 'duplicate') {
    count(metrics, 'MessagesDuplicate');
  } else if (message.status === 'Rejected') {
    logger.warn('message rejected', { ...fields, ...message.rejection });
    count(metrics, 'MessagesRejected');
  } else {
    logger.info('message ingested', fields);
    count(metrics, 'MessagesIngested');
  }
  count(metrics, 'DeliveriesCreated', created);
};

export const handler = eventHandler(logger, metrics, (event: SQSEvent) =>
  processPartialResponse(event, ingest, processor),
);
