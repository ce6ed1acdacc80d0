import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { backgroundDynamoDocument } from '../../shared/aws/dynamo.ts';
import { sqs } from '../../shared/aws/sqs.ts';
import { loadSettings } from '../../shared/config/settings.ts';
import { eventHandler } from '../../shared/event-handler.ts';
import { DynamoApiRegistry } from '../../shared/gateway/adapters/dynamo-api-registry.ts';
import { tellCaller } from '../../shared/gateway/deprecation-messages.ts';
import { tellProvider, type UpstreamAlertDeps } from '../../shared/gateway/upstream-alert-messages.ts';
import { DynamoDeliveryStore } from '../../shared/messages/adapters/dynamo-delivery-store.ts';
import { DynamoMessageStore } from '../../shared/messages/adapters/dynamo-message-store.ts';
import { DynamoSubscriptionStore } from '../../shared/messages/adapters/dynamo-subscription-store.ts';
import { SqsDeliveryQueue } from '../../shared/messages/adapters/sqs-delivery-queue.ts';
import { count, createLogger, createMetrics } from '../../shared/observability.ts';

const config = loadSettings(['REGISTRY_TABLE', 'MESSAGES_TABLE', 'DELIVERY_QUEUE_URL']);

const logger = createLogger('upstream-alerts');
const metrics = createMetrics('upstream-alerts');
const deps: UpstreamAlertDeps = {
  registry: new DynamoApiRegistry(backgroundDynamoDocument, config.REGISTRY_TABLE),
  messages: new DynamoMessageStore(backgroundDynamoDocument, config.MESSAGES_TABLE),
  subscriptions: new DynamoSubscriptionStore(backgroundDynamoDocument, config.MESSAGES_TABLE),
  deliveries: new DynamoDeliveryStore(backgroundDynamoDocument, config.MESSAGES_TABLE),
  queue: new SqsDeliveryQueue(sqs, config.DELIVERY_QUEUE_URL),
  clock: Date.now,
};
const processor = new BatchProcessor(EventType.SQS);

/** A body that is not JSON is nobody's alert: kept out of the retries, logged. */
function parsed(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/**
 * Gateway events on the bus (→ rule → queue) become platform messages: breaker state changes and
 * health-check verdicts go to the API's provider app (`portico.upstream-alerts`), a call to a deprecated
 * API to the calling app (`portico.api-deprecations`). A record that fails (AWS unavailable) is reported
 * alone and retried; the message id makes a repeat deliver once.
 */
const tell = async (record: SQSRecord): Promise<void> => {
  const event = parsed(record.body);
  const notice = await tellCaller(deps, event);
  if (notice) {
    logger.info('caller told of a deprecation', { messageId: notice.messageId, appId: notice.audience });
    count(metrics, 'DeprecationNoticesTold');
    return;
  }
  const outcome = await tellProvider(deps, event);
  if ('told' in outcome) {
    const { messageId, audience, payload } = outcome.told;
    logger.info('provider told', { messageId, providerApp: audience, alert: payload });
    count(metrics, 'UpstreamAlertsTold');
  } else {
    count(metrics, outcome.ignored === 'no-provider' ? 'UpstreamAlertsUnaddressed' : 'UpstreamEventsIgnored');
  }
};

export const handler = eventHandler(logger, metrics, (event: SQSEvent) =>
  processPartialResponse(event, tell, processor),
);
