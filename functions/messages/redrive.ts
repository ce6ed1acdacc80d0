import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { backgroundDynamoDocument } from '../../shared/aws/dynamo.ts';
import { sqs } from '../../shared/aws/sqs.ts';
import { loadSettings } from '../../shared/config/settings.ts';
import { eventHandler } from '../../shared/event-handler.ts';
import { DynamoDeliveryStore } from '../../shared/messages/adapters/dynamo-delivery-store.ts';
import { DynamoMessageStore } from '../../shared/messages/adapters/dynamo-message-store.ts';
import { DynamoSubscriptionStore } from '../../shared/messages/adapters/dynamo-subscription-store.ts';
import { SqsDeliveryQueue } from '../../shared/messages/adapters/sqs-delivery-queue.ts';
import { tellApp } from '../../shared/messages/operational-events.ts';
import { type RedriveDeps, redriveDelivery } from '../../shared/messages/redrive-delivery.ts';
import { count, createLogger, createMetrics } from '../../shared/observability.ts';

const config = loadSettings(['MESSAGES_TABLE', 'DELIVERY_QUEUE_URL']);
const logger = createLogger('messages-redrive');
const metrics = createMetrics('messages-redrive');
const table = config.MESSAGES_TABLE;
const deliveries = new DynamoDeliveryStore(backgroundDynamoDocument, table);
const queue = new SqsDeliveryQueue(sqs, config.DELIVERY_QUEUE_URL);
const told = {
  subscriptions: new DynamoSubscriptionStore(backgroundDynamoDocument, table),
  deliveries,
  messages: new DynamoMessageStore(backgroundDynamoDocument, table),
  queue,
  clock: Date.now,
};
const deps: RedriveDeps = {
  deliveries,
  queue,
  events: async (event) => {
    await tellApp(told, event, Date.now());
  },
  clock: Date.now,
};
const processor = new BatchProcessor(EventType.SQS);

const OUTCOME_METRICS = {
  requeued: 'DeliveriesRedriven',
  'dead-lettered': 'DeliveriesDeadLettered',
  settled: 'DeadLettersSettled',
} as const;

/** The delivery queue's dead-letter queue: nothing stays Queued without a queue message to carry it. */
const redrive = async (record: SQSRecord): Promise<void> => {
  const item = JSON.parse(record.body) as { deliveryId: string; subscriptionId: string };
  const outcome = await redriveDelivery(deps, item);
  logger.warn('dead-lettered delivery', { deliveryId: item.deliveryId, outcome });
  count(metrics, OUTCOME_METRICS[outcome]);
};

export const handler = eventHandler(logger, metrics, (event: SQSEvent) =>
  processPartialResponse(event, redrive, processor),
);
