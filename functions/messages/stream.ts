import { dynamoDocument } from '../../shared/aws/dynamo.ts';
import { sqs } from '../../shared/aws/sqs.ts';
import { loadSettings } from '../../shared/config/settings.ts';
import { tableBackedValidator } from '../../shared/identity/adapters/table-backed-validator.ts';
import { DomainError } from '../../shared/kernel/errors.ts';
import { DynamoConnectionStore } from '../../shared/messages/adapters/dynamo-connection-store.ts';
import { DynamoDeliveryStore } from '../../shared/messages/adapters/dynamo-delivery-store.ts';
import { DynamoSubscriptionStore } from '../../shared/messages/adapters/dynamo-subscription-store.ts';
import { SqsDeliveryQueue } from '../../shared/messages/adapters/sqs-delivery-queue.ts';
import {
  connectAuthorization,
  frameAnswer,
  type StreamEvent,
  streamHandler,
} from '../../shared/messages/http/stream-edge.ts';
import {
  acknowledgeOverStream,
  closeStream,
  openStream,
  readClientFrame,
  resumeStream,
  type StreamSessionDeps,
} from '../../shared/messages/stream-session.ts';
import { createLogger } from '../../shared/observability.ts';
import type { MessageStreamRouteKey } from './routes.ts';

const config = loadSettings(['IDENTITY_TABLE', 'MESSAGES_TABLE', 'DELIVERY_QUEUE_URL', 'TOKEN_ISSUER']);
const logger = createLogger('messages-stream');
const table = config.MESSAGES_TABLE;
const validator = tableBackedValidator(dynamoDocument, config.IDENTITY_TABLE, config.TOKEN_ISSUER);
const deps: StreamSessionDeps = {
  subscriptions: new DynamoSubscriptionStore(dynamoDocument, table),
  connections: new DynamoConnectionStore(dynamoDocument, table),
  deliveries: new DynamoDeliveryStore(dynamoDocument, table),
  queue: new SqsDeliveryQueue(sqs, config.DELIVERY_QUEUE_URL),
  clock: Date.now,
};

/** The app of a `$connect`: its own production token (header, or `access_token` for browsers). */
async function appOf(event: StreamEvent): Promise<string> {
  const token = await validator.validate(connectAuthorization(event));
  if (token.sandbox) {
    throw new DomainError(
      'forbidden',
      'Sandbox credentials cannot receive messages; use a production credential.',
    );
  }
  return token.app_id;
}

/**
 * The message stream (WebSocket API): `$connect` checks the app's token and records which websocket
 * subscriptions the connection receives; `ack` and `resume` act for that connection only; `$default`
 * answers heartbeats. Pushes are made by the delivery worker (functions/messages/deliver.ts).
 */
export const handler = streamHandler(logger, async (event) => {
  const { routeKey, connectionId } = event.requestContext;
  switch (routeKey as MessageStreamRouteKey) {
    case '$connect': {
      const appId = await appOf(event);
      const connection = await openStream(
        deps,
        appId,
        connectionId,
        event.queryStringParameters?.subscription,
      );
      logger.info('stream connected', { appId, subscriptions: connection.subscriptionIds.length });
      return { statusCode: 200 };
    }
    case '$disconnect':
      await closeStream(deps, connectionId);
      return { statusCode: 200 };
    case 'ack':
      return frameAnswer({
        type: 'acked',
        ...(await acknowledgeOverStream(deps, connectionId, readClientFrame(event.body))),
      });
    case 'resume':
      return frameAnswer({ type: 'resumed', ...(await resumeStream(deps, connectionId)) });
    default: {
      const frame = readClientFrame(event.body);
      if (frame.action === 'ping') return frameAnswer({ type: 'pong' });
      throw new DomainError('bad-request', 'Unknown action: send "ack", "resume" or "ping".');
    }
  }
});
