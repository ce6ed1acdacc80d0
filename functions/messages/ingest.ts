import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { backgroundDynamoDocument } from '../../shared/aws/clients.ts';
import { loadSettings } from '../../shared/config/settings.ts';
import { DynamoMessageStore } from '../../shared/messages/adapters/dynamo-message-store.ts';
import { type BusEvent, messageFromEvent } from '../../shared/messages/message.ts';
import { count, createLogger, createMetrics, eventHandler } from '../../shared/observability.ts';

const config = loadSettings(['MESSAGES_TABLE']);

const logger = createLogger('messages-ingest');
const metrics = createMetrics('messages-ingest');
const store = new DynamoMessageStore(backgroundDynamoDocument, config.MESSAGES_TABLE);
const processor = new BatchProcessor(EventType.SQS);

/**
 * Business events (EventBridge → SQS) become Queued messages, exactly once per event id. A record that
 * fails is reported alone; after the queue's receive limit it lands in the dead-letter queue.
 */
const ingest = async (record: SQSRecord): Promise<void> => {
  const message = messageFromEvent(JSON.parse(record.body) as BusEvent, new Date());
  const outcome = await store.saveOnce(message);
  logger.info('message ingested', { messageId: message.messageId, topic: message.topic, outcome });
  count(metrics, outcome === 'stored' ? 'MessagesIngested' : 'MessagesDuplicate');
};

export const handler = eventHandler(logger, metrics, (event: SQSEvent) =>
  processPartialResponse(event, ingest, processor),
);
