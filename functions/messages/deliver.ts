import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { KinesisAnalyticsSink } from '../../shared/analytics/adapters/kinesis-sink.ts';
import { BatchingRecorder } from '../../shared/analytics/batching-recorder.ts';
import { backgroundDynamoDocument } from '../../shared/aws/dynamo.ts';
import { kinesis } from '../../shared/aws/kinesis.ts';
import { kms } from '../../shared/aws/kms.ts';
import { sqs } from '../../shared/aws/sqs.ts';
import { loadSettings } from '../../shared/config/settings.ts';
import { dnsResolver } from '../../shared/egress/adapters/dns-resolver.ts';
import { EgressGuard } from '../../shared/egress/guard.ts';
import { parseEgressAllowList } from '../../shared/egress/policy.ts';
import { eventHandler } from '../../shared/event-handler.ts';
import { DynamoLeaseStore } from '../../shared/gateway/adapters/dynamo-lease-store.ts';
import { RateLimiter } from '../../shared/gateway/rate-limit/limiter.ts';
import { KmsSecretCipher } from '../../shared/identity/adapters/kms-secret-cipher.ts';
import { ApiGatewayPusher } from '../../shared/messages/adapters/api-gateway-pusher.ts';
import { DynamoConnectionStore } from '../../shared/messages/adapters/dynamo-connection-store.ts';
import { DynamoDeliveryStore } from '../../shared/messages/adapters/dynamo-delivery-store.ts';
import { DynamoMessageStore } from '../../shared/messages/adapters/dynamo-message-store.ts';
import { DynamoSubscriptionStore } from '../../shared/messages/adapters/dynamo-subscription-store.ts';
import { SqsDeliveryQueue } from '../../shared/messages/adapters/sqs-delivery-queue.ts';
import { webhookSender } from '../../shared/messages/adapters/webhook-sender.ts';
import { liveWebhookSecrets } from '../../shared/messages/create-subscription.ts';
import {
  type DeliverDeps,
  type DeliverResult,
  deliverWebhook,
} from '../../shared/messages/deliver-webhook.ts';
import {
  deliverWebsocket,
  type StreamDeliverDeps,
  type StreamDeliverResult,
} from '../../shared/messages/deliver-websocket.ts';
import { endpointGuard } from '../../shared/messages/endpoint-guard.ts';
import { tellApp } from '../../shared/messages/operational-events.ts';
import type { DeliveryEvent } from '../../shared/messages/ports.ts';
import { SubscriptionModes } from '../../shared/messages/subscription-modes.ts';
import { count, createLogger, createMetrics } from '../../shared/observability.ts';

const config = loadSettings([
  'MESSAGES_TABLE',
  'DELIVERY_QUEUE_URL',
  'SECRETS_KEY_ID',
  'EGRESS_ALLOW',
  'ANALYTICS_STREAM',
  'RATE_LIMIT_TABLE',
  'MESSAGE_STREAM_URL',
  'WEBHOOK_TIMEOUT_SECONDS',
]);

const EVENT_METRICS: Record<DeliveryEvent['kind'], string> = {
  exhausted: 'DeliveriesExhausted',
  recovered: 'DeliveriesRecovered',
  'warn-disable': 'SubscriptionDisableWarnings',
  disable: 'SubscriptionsDisabled',
  'disable-gone': 'SubscriptionsDisabled',
};
const RESULT_METRICS: Record<DeliverResult['result'], string> = {
  sent: 'DeliveriesSent',
  retry: 'DeliveryRetries',
  deferred: 'DeliveriesDeferred',
  waiting: 'OrderedDeliveriesWaiting',
  failed: 'DeliveriesFailed',
  'not-due': 'DeliveriesNotDue',
  held: 'DeliveriesHeld',
  skipped: 'DeliveriesSkipped',
  superseded: 'DeliveriesSuperseded',
};

const STREAM_RESULT_METRICS: Record<StreamDeliverResult['result'], string> = {
  pushed: 'DeliveriesPushed',
  'no-connection': 'DeliveriesAwaitingConnection',
  spent: 'DeliveriesLeftForPull',
  'not-due': 'DeliveriesNotDue',
  held: 'DeliveriesHeld',
  skipped: 'DeliveriesSkipped',
  superseded: 'DeliveriesSuperseded',
};

const logger = createLogger('messages-deliver');
const metrics = createMetrics('messages-deliver');
const recorder = new BatchingRecorder(new KinesisAnalyticsSink(kinesis, config.ANALYTICS_STREAM), {
  onError: (error, lost) =>
    logger.warn('delivery records not sent', { lost, error: (error as Error).message }),
});
recorder.flushOnShutdown();
const table = config.MESSAGES_TABLE;
const queue = new SqsDeliveryQueue(sqs, config.DELIVERY_QUEUE_URL);
const operational = {
  subscriptions: new DynamoSubscriptionStore(backgroundDynamoDocument, table),
  deliveries: new DynamoDeliveryStore(backgroundDynamoDocument, table),
  messages: new DynamoMessageStore(backgroundDynamoDocument, table),
  queue,
  clock: Date.now,
};
// Leases of each subscription's rate, shared by every worker; a store failure lets deliveries through.
const limiter = new RateLimiter({
  store: new DynamoLeaseStore(backgroundDynamoDocument, config.RATE_LIMIT_TABLE),
  // Nobody waits on a delivery: the store may take as long as a background call.
  storeTimeoutMs: 3_000,
  onStoreFailure: (error) => logger.warn('rate-limit store failed', { error: (error as Error).message }),
});
const deps: DeliverDeps = {
  deliveries: new DynamoDeliveryStore(backgroundDynamoDocument, table),
  subscriptions: new DynamoSubscriptionStore(backgroundDynamoDocument, table),
  messages: new DynamoMessageStore(backgroundDynamoDocument, table),
  secrets: liveWebhookSecrets(new KmsSecretCipher(kms, config.SECRETS_KEY_ID)),
  send: webhookSender({
    egress: new EgressGuard(parseEgressAllowList(config.EGRESS_ALLOW), dnsResolver()),
    onEgressDenied: (denial) => logger.warn('webhook refused by the egress policy', { ...denial }),
  }),
  events: async (event) => {
    logger.info('delivery event', { kind: event.kind });
    count(metrics, EVENT_METRICS[event.kind]);
    // The delivery has moved already: a failure to tell its app is logged, and does not undo that.
    await tellApp(operational, event, Date.now()).catch((error: Error) =>
      logger.error('operational event not published', { kind: event.kind, error: error.message }),
    );
  },
  clock: Date.now,
  timeoutMs: config.WEBHOOK_TIMEOUT_SECONDS * 1000,
  endpoints: endpointGuard(),
  throttle: async (subscription) => {
    const decision = await limiter.check([
      { name: 'subscription', key: `sub#${subscription.subscriptionId}`, policy: subscription.rateLimit! },
    ]);
    // Unlike the gateway's callers, nobody waits on a delivery: when the store cannot tell, the delivery
    // waits for its next try rather than risk more than the rate its subscriber set.
    if (decision.failedOpen) return { allowed: false, retryAfterMs: 1_000 };
    return {
      allowed: decision.allowed,
      ...(decision.retryAfterMs ? { retryAfterMs: decision.retryAfterMs } : {}),
    };
  },
  record: (record) => recorder.record(record),
};
const stream: StreamDeliverDeps = {
  deliveries: deps.deliveries,
  subscriptions: deps.subscriptions,
  messages: deps.messages,
  connections: new DynamoConnectionStore(backgroundDynamoDocument, table),
  pusher: ApiGatewayPusher.forStream(config.MESSAGE_STREAM_URL),
  clock: Date.now,
};
const modes = new SubscriptionModes(deps.subscriptions);
const processor = new BatchProcessor(EventType.SQS);

/**
 * One push of a WebSocket delivery. A pushed one comes back when its ack timeout ends, one not due yet
 * at its due time; the chain stops once it is acknowledged, nobody is connected (a `resume` queues it
 * again), or its schedule is spent — it stays Queued for `pull` in every case.
 */
const push = async (deliveryId: string, subscriptionId: string): Promise<void> => {
  const outcome = await deliverWebsocket(stream, deliveryId);
  count(metrics, STREAM_RESULT_METRICS[outcome.result]);
  if ((outcome.result === 'pushed' || outcome.result === 'no-connection') && outcome.gone > 0)
    count(metrics, 'StreamConnectionsGone', outcome.gone);
  if (outcome.result === 'pushed' || outcome.result === 'not-due') {
    await queue.enqueue([{ deliveryId, subscriptionId, dueAt: outcome.dueAt }]);
  }
};

/**
 * One attempt per queued delivery. A delivery still waiting (a retry, or due beyond the queue's 15-minute
 * delay) goes back in the queue; if that fails the record fails and SQS brings it back, so a delivery is
 * never left Queued with no message to carry it.
 */
const deliver = async (record: SQSRecord): Promise<void> => {
  const { deliveryId, subscriptionId } = JSON.parse(record.body) as {
    deliveryId: string;
    subscriptionId: string;
  };
  if ((await modes.of(subscriptionId)) === 'websocket') return push(deliveryId, subscriptionId);
  const outcome = await deliverWebhook(deps, deliveryId);
  count(metrics, RESULT_METRICS[outcome.result]);
  // Still Queued (a retry, not yet due, or deferred because its host is busy or failing): back in line
  // for its due time. A replay racing this only adds a message the worker skips.
  if (outcome.result === 'retry' || outcome.result === 'not-due' || outcome.result === 'deferred') {
    await queue.enqueue([{ deliveryId, subscriptionId, dueAt: outcome.dueAt }]);
  }
  // An ordered subscription's next delivery, now its head.
  if ((outcome.result === 'sent' || outcome.result === 'failed') && outcome.next)
    await queue.enqueue([outcome.next]);
};

export const handler = eventHandler(logger, metrics, async (event: SQSEvent) => {
  const response = await processPartialResponse(event, deliver, processor);
  await recorder.flush();
  return response;
});
