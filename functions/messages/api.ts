import { dynamoDocument } from '../../shared/aws/dynamo.ts';
import { kms } from '../../shared/aws/kms.ts';
import { sqs } from '../../shared/aws/sqs.ts';
import { loadSettings } from '../../shared/config/settings.ts';
import { dnsResolver } from '../../shared/egress/adapters/dns-resolver.ts';
import { EgressGuard } from '../../shared/egress/guard.ts';
import { parseEgressAllowList } from '../../shared/egress/policy.ts';
import { readJsonObject } from '../../shared/http/body.ts';
import { httpHandler } from '../../shared/http/middleware.ts';
import { ProblemError } from '../../shared/http/problem.ts';
import { PAGE_PARAMS, pageParams, queryParams } from '../../shared/http/query.ts';
import { type HttpEvent, header, json, noContent } from '../../shared/http/types.ts';
import { KmsSecretCipher } from '../../shared/identity/adapters/kms-secret-cipher.ts';
import { tableBackedValidator } from '../../shared/identity/adapters/table-backed-validator.ts';
import { scopesOf } from '../../shared/identity/tokens.ts';
import { DynamoDeliveryStore } from '../../shared/messages/adapters/dynamo-delivery-store.ts';
import { DynamoMessageStore } from '../../shared/messages/adapters/dynamo-message-store.ts';
import { DynamoSubscriptionStore } from '../../shared/messages/adapters/dynamo-subscription-store.ts';
import { DynamoTopicStore } from '../../shared/messages/adapters/dynamo-topic-store.ts';
import { SqsDeliveryQueue } from '../../shared/messages/adapters/sqs-delivery-queue.ts';
import {
  attemptView,
  DELIVERY_QUERY_PARAMS,
  DeliveryActions,
  deliveryView,
  readDeliveryQuery,
} from '../../shared/messages/delivery-actions.ts';
import { isTopicName } from '../../shared/messages/ids.ts';
import {
  acknowledgeDeliveries,
  type PullDeps,
  pullDeliveries,
} from '../../shared/messages/pull-deliveries.ts';
import {
  type Caller,
  SubscriptionActions,
  subscriptionView,
} from '../../shared/messages/subscription-actions.ts';
import { sendTestMessage, type TestSendDeps } from '../../shared/messages/test-message.ts';
import { publishedTopic } from '../../shared/messages/topic.ts';
import { createLogger } from '../../shared/observability.ts';
import { MESSAGES_API_ROUTES, type MessagesApiRouteKey } from './routes.ts';

const config = loadSettings([
  'IDENTITY_TABLE',
  'MESSAGES_TABLE',
  'DELIVERY_QUEUE_URL',
  'SECRETS_KEY_ID',
  'TOKEN_ISSUER',
  'EGRESS_ALLOW',
]);
const logger = createLogger('messages-api');
const table = config.MESSAGES_TABLE;
const validator = tableBackedValidator(dynamoDocument, config.IDENTITY_TABLE, config.TOKEN_ISSUER);
const topics = new DynamoTopicStore(dynamoDocument, table);
const subscriptionStore = new DynamoSubscriptionStore(dynamoDocument, table);
const deliveryStore = new DynamoDeliveryStore(dynamoDocument, table);
const queue = new SqsDeliveryQueue(sqs, config.DELIVERY_QUEUE_URL);
const subscriptions = new SubscriptionActions({
  topics,
  subscriptions: subscriptionStore,
  deliveries: deliveryStore,
  queue,
  cipher: new KmsSecretCipher(kms, config.SECRETS_KEY_ID),
  egress: new EgressGuard(parseEgressAllowList(config.EGRESS_ALLOW), dnsResolver()),
  clock: Date.now,
});
const messageStore = new DynamoMessageStore(dynamoDocument, table);
const pull: PullDeps = { deliveries: deliveryStore, messages: messageStore, clock: Date.now };
const deliveries = new DeliveryActions({
  deliveries: deliveryStore,
  messages: messageStore,
  subscriptions: subscriptionStore,
  queue,
  clock: Date.now,
});

const testSend: TestSendDeps = {
  topics,
  messages: messageStore,
  deliveries: deliveryStore,
  queue,
  clock: Date.now,
};

const NO_STORE = { 'cache-control': 'no-store' };
const ROUTES = new Set<string>(MESSAGES_API_ROUTES);

/** The query parameters each route takes; every other route takes none. */
const QUERY_PARAMS: Partial<Record<MessagesApiRouteKey, readonly string[]>> = {
  'GET /v1/subscriptions': PAGE_PARAMS,
  'GET /v1/messages': [...PAGE_PARAMS, ...DELIVERY_QUERY_PARAMS],
  'GET /v1/deliveries': [...PAGE_PARAMS, ...DELIVERY_QUERY_PARAMS],
};

/** An app's own token; a sandbox credential manages nothing here (its calls only reach sandboxes and mocks). */
async function callerOf(event: HttpEvent): Promise<Caller> {
  const token = await validator.validate(header(event, 'authorization'));
  if (token.sandbox) {
    throw new ProblemError(
      'forbidden',
      'Sandbox credentials cannot use the messages API; use a production credential.',
    );
  }
  return { appId: token.app_id, scopes: scopesOf(token) };
}

/** The developer API of messages: topics, the app's subscriptions, its messages and deliveries. */
export const handler = httpHandler(logger, async (event) => {
  const routeKey = event.routeKey as MessagesApiRouteKey;
  if (!ROUTES.has(routeKey)) throw new ProblemError('not-found');
  const caller = await callerOf(event);
  const p = event.pathParameters ?? {};
  const query = queryParams(event.rawQueryString, QUERY_PARAMS[routeKey] ?? []);
  const body = () => readJsonObject(event);
  const optionalBody = () => (event.body ? readJsonObject(event) : {});

  switch (routeKey) {
    case 'GET /v1/topics':
      return json(200, { items: (await topics.list()).map(publishedTopic) });
    case 'GET /v1/topics/{topic}': {
      const topic = isTopicName(p.topic!) ? await topics.get(p.topic!) : undefined;
      if (!topic) throw new ProblemError('not-found', 'No topic has this name.');
      return json(200, publishedTopic(topic));
    }
    case 'GET /v1/subscriptions': {
      const page = await subscriptions.list(caller, pageParams(query));
      return json(200, {
        items: page.items.map(subscriptionView),
        ...(page.next ? { next: page.next } : {}),
      });
    }
    case 'POST /v1/subscriptions': {
      const { subscription, secret } = await subscriptions.create(caller, body());
      logger.info('subscription created', {
        subscriptionId: subscription.subscriptionId,
        appId: caller.appId,
      });
      return json(
        201,
        { ...subscriptionView(subscription), ...(secret ? { secret } : {}) },
        { location: `/v1/subscriptions/${subscription.subscriptionId}`, ...NO_STORE },
      );
    }
    case 'GET /v1/subscriptions/{subscriptionId}':
      return json(200, subscriptionView(await subscriptions.get(caller, p.subscriptionId!)));
    case 'PATCH /v1/subscriptions/{subscriptionId}': {
      const { subscription, released } = await subscriptions.update(caller, p.subscriptionId!, body());
      return json(200, { ...subscriptionView(subscription), released });
    }
    case 'DELETE /v1/subscriptions/{subscriptionId}':
      await subscriptions.delete(caller, p.subscriptionId!);
      return noContent();
    case 'POST /v1/subscriptions/{subscriptionId}/rotate-secret': {
      const rotated = await subscriptions.rotateSecret(caller, p.subscriptionId!, optionalBody());
      return json(
        200,
        {
          ...subscriptionView(rotated.subscription),
          secret: rotated.secret,
          ...(rotated.previousExpiresAt
            ? { previousSecretExpiresAt: new Date(rotated.previousExpiresAt).toISOString() }
            : {}),
        },
        NO_STORE,
      );
    }
    case 'POST /v1/subscriptions/{subscriptionId}/recover':
      return json(202, { recovered: await subscriptions.recover(caller, p.subscriptionId!, body()) });
    case 'POST /v1/subscriptions/{subscriptionId}/test': {
      const subscription = await subscriptions.get(caller, p.subscriptionId!);
      const sent = await sendTestMessage(testSend, subscription, optionalBody());
      return json(202, sent, NO_STORE);
    }
    case 'POST /v1/subscriptions/{subscriptionId}/pull': {
      const subscription = await subscriptions.get(caller, p.subscriptionId!);
      return json(200, { items: await pullDeliveries(pull, subscription, optionalBody()) }, NO_STORE);
    }
    case 'POST /v1/subscriptions/{subscriptionId}/ack': {
      const subscription = await subscriptions.get(caller, p.subscriptionId!);
      return json(200, await acknowledgeDeliveries(pull, subscription, body()));
    }
    case 'GET /v1/messages':
      return json(200, await deliveries.listMessages(caller, readDeliveryQuery(query), pageParams(query)));
    case 'GET /v1/messages/{messageId}': {
      const { message, deliveries: of } = await deliveries.getMessage(caller, p.messageId!);
      return json(200, {
        messageId: message.messageId,
        topic: message.topic,
        publishedAt: message.publishedAt,
        payload: message.payload,
        deliveries: of.map(deliveryView),
      });
    }
    case 'GET /v1/deliveries': {
      const page = await deliveries.list(caller, readDeliveryQuery(query), pageParams(query));
      return json(200, { items: page.items.map(deliveryView), ...(page.next ? { next: page.next } : {}) });
    }
    case 'GET /v1/deliveries/{deliveryId}': {
      const { delivery, attempts } = await deliveries.get(caller, p.deliveryId!);
      return json(200, { ...deliveryView(delivery), attemptLog: attempts.map(attemptView) });
    }
    case 'POST /v1/deliveries/{deliveryId}/replay':
      return json(202, deliveryView(await deliveries.replay(caller, p.deliveryId!)));
  }
});
