import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { backgroundDynamoDocument, sqs } from '../../shared/aws/clients.ts';
import { loadSettings } from '../../shared/config/settings.ts';
import { DynamoDeliveryStore } from '../../shared/messages/adapters/dynamo-delivery-store.ts';
import { DynamoMessageStore } from '../../shared/messages/adapters/dynamo-message-store.ts';
import { DynamoSubscriptionStore } from '../../shared/messages/adapters/dynamo-subscription-store.ts';
import { SqsDeliveryQueue } from '../../shared/messages/adapters/sqs-delivery-queue.ts';
import { fanOutMessage } from '../../shared/messages/fan-out-message.ts';
import { type BusEvent, messageFromEvent } from '../../shared/messages/message.ts';
import { count, createLogger, createMetrics, eventHandler } from '../../shared/observability.ts';

const config = loadSettings(['MESSAGES_TABLE', 'DELIVERY_QUEUE_URL']);

const logger = createLogger('messages-ingest');
const metrics = createMetrics('messages-ingest');
const store = new DynamoMessageStore(backgroundDynamoDocument, config.MESSAGES_TABLE);
const fanOut = {
  subscriptions: new DynamoSubscriptionStore(backgroundDynamoDocument, config.MESSAGES_TABLE),
  deliveries: new DynamoDeliveryStore(backgroundDynamoDocument, config.MESSAGES_TABLE),
  queue: new SqsDeliveryQueue(sqs, config.DELIVERY_QUEUE_URL),
  clock: Date.now,
};
const processor = new BatchProcessor(EventType.SQS);

/**
 * Business events (EventBridge → SQS) become Queued messages, exactly once per event id, and are fanned
 * out to their topic's subscriptions. A redelivered event is fanned out again (nothing is created
 * twice), so a crash between the two steps loses nothing. A record that fails is reported alone; after
 * the queue's receive limit it lands in the dead-letter queue.
 */
const ingest = async (record: SQSRecord): Promise<void> => {
  const message = messageFromEvent(JSON.parse(record.body) as BusEvent, new Date());
  const outcome = await store.saveOnce(message);
  const { created, queued } = await fanOutMessage(fanOut, message);
  logger.info('message ingested', {
    messageId: message.messageId,
    topic: message.topic,
    outcome,
    created,
    queued,
  });
  count(metrics, outcome === 'stored' ? 'MessagesIngested' : 'MessagesDuplicate');
  count(metrics, 'DeliveriesCreated', created);
};

export const handler = eventHandler(logger, metrics, (event: SQSEvent) =>
  processPartialResponse(event, ingest, processor),
);
