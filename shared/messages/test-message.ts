import { newId } from '../crypto/random.ts';
import { DomainError } from '../kernel/errors.ts';
import { bodyValidator } from '../kernel/validation.ts';
import { deliveryIdFor } from './delivery.ts';
import { type FanOutDeps, fanOutMessage } from './fan-out-message.ts';
import type { Message } from './message.ts';
import type { MessageStore, Subscription, TopicStore } from './ports.ts';
import { checkPayload } from './topic.ts';

/** The source of a test message: a developer's own, sent to one subscription only. */
export const TEST_MESSAGE_SOURCE = 'portico.test';

export interface TestSendDeps extends Omit<FanOutDeps, 'subscriptions'> {
  topics: Pick<TopicStore, 'get'>;
  messages: Pick<MessageStore, 'saveOnce'>;
}

const readTestSend = bodyValidator<{ payload?: unknown }>({
  type: 'object',
  properties: { payload: {} },
  additionalProperties: false,
});

/**
 * Svix's "send example": a message of the subscription's topic (the topic's example, or the payload the
 * developer gives, checked against the topic's schema) delivered to this subscription alone, signed
 * and retried like any other, and listed with its deliveries. The subscription's filter does not apply:
 * the point is to see the endpoint answer.
 */
export async function sendTestMessage(
  deps: TestSendDeps,
  subscription: Subscription,
  body: unknown,
): Promise<{ messageId: string; deliveryId: string }> {
  const { payload: given } = readTestSend(body);
  if (subscription.state !== 'active') {
    throw new DomainError(
      'conflict',
      `The subscription is ${subscription.state}: resume it (PATCH with "state": "active") before testing it.`,
    );
  }
  const topic = await deps.topics.get(subscription.topic);
  if (!topic) throw new DomainError('not-found', `The topic ${subscription.topic} is gone.`);
  const payload = given === undefined ? topic.example : given;
  try {
    checkPayload(topic, payload);
  } catch (error) {
    throw underPayload(error);
  }
  const at = new Date(deps.clock()).toISOString();
  const message: Message = {
    messageId: newId('test'),
    topic: topic.name,
    source: TEST_MESSAGE_SOURCE,
    payload,
    status: 'Accepted',
    audience: subscription.appId,
    publishedAt: at,
    receivedAt: at,
  };
  await deps.messages.saveOnce(message);
  const { filter: _filter, ...target } = subscription;
  await fanOutMessage({ ...deps, subscriptions: { listByTopic: async () => [target] } }, message);
  return {
    messageId: message.messageId,
    deliveryId: deliveryIdFor(message.messageId, subscription.subscriptionId),
  };
}

/** The payload's violations, pointed at where they are in the request body (`/payload/...`). */
function underPayload(error: unknown): unknown {
  if (!(error instanceof DomainError) || error.code !== 'validation-failed') return error;
  const errors = (error.details.errors as { pointer: string; message: string }[] | undefined) ?? [];
  return new DomainError('validation-failed', error.detail, {
    errors: errors.map((e) => ({ ...e, pointer: `/payload${e.pointer}` })),
  });
}
