import { backgroundDynamoDocument, dynamoDocument } from '../../shared/aws/dynamo.ts';
import { sqs } from '../../shared/aws/sqs.ts';
import { loadSettings } from '../../shared/config/settings.ts';
import { readJsonObject } from '../../shared/http/body.ts';
import { httpHandler } from '../../shared/http/middleware.ts';
import { ProblemError } from '../../shared/http/problem.ts';
import { queryParams } from '../../shared/http/query.ts';
import { header, json } from '../../shared/http/types.ts';
import { tableBackedValidator } from '../../shared/identity/adapters/table-backed-validator.ts';
import { scopesOf } from '../../shared/identity/tokens.ts';
import { DynamoDeliveryStore } from '../../shared/messages/adapters/dynamo-delivery-store.ts';
import { DynamoMessageStore } from '../../shared/messages/adapters/dynamo-message-store.ts';
import { DynamoSubscriptionStore } from '../../shared/messages/adapters/dynamo-subscription-store.ts';
import { DynamoTopicStore } from '../../shared/messages/adapters/dynamo-topic-store.ts';
import { SqsDeliveryQueue } from '../../shared/messages/adapters/sqs-delivery-queue.ts';
import { type PublishDeps, publishMessage } from '../../shared/messages/publish-message.ts';
import { cachedTopics } from '../../shared/messages/topic-cache.ts';
import { createLogger } from '../../shared/observability.ts';
import { PUBLISH_ROUTE } from './routes.ts';

const config = loadSettings(['IDENTITY_TABLE', 'MESSAGES_TABLE', 'DELIVERY_QUEUE_URL', 'TOKEN_ISSUER']);
const logger = createLogger('messages-publish');
const table = config.MESSAGES_TABLE;
const validator = tableBackedValidator(dynamoDocument, config.IDENTITY_TABLE, config.TOKEN_ISSUER);
const deps: PublishDeps = {
  topics: cachedTopics(new DynamoTopicStore(dynamoDocument, table)),
  messages: new DynamoMessageStore(dynamoDocument, table),
  subscriptions: new DynamoSubscriptionStore(backgroundDynamoDocument, table),
  deliveries: new DynamoDeliveryStore(backgroundDynamoDocument, table),
  queue: new SqsDeliveryQueue(sqs, config.DELIVERY_QUEUE_URL),
  clock: Date.now,
};

/**
 * The internal publish API: a platform client holding `publish:<topic>` publishes one message, made
 * safe to retry by its Idempotency-Key; the answer comes once the message is stored and fanned out.
 */
export const handler = httpHandler(logger, async (event) => {
  if (event.routeKey !== PUBLISH_ROUTE) throw new ProblemError('not-found');
  const token = await validator.validate(header(event, 'authorization'));
  if (token.sandbox) throw new ProblemError('forbidden', 'Sandbox credentials cannot publish.');
  queryParams(event.rawQueryString, []);
  const { message, replayed } = await publishMessage(
    deps,
    { appId: token.app_id, scopes: scopesOf(token) },
    {
      topic: event.pathParameters?.topic ?? '',
      payload: readJsonObject(event),
      idempotencyKey: header(event, 'idempotency-key'),
    },
    new Date(),
  );
  if (!replayed)
    logger.info('message published', {
      messageId: message.messageId,
      topic: message.topic,
      by: token.app_id,
    });
  return json(
    202,
    { messageId: message.messageId, topic: message.topic, receivedAt: message.receivedAt },
    { 'idempotent-replayed': String(replayed) },
  );
});
