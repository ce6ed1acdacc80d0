import { createHash } from 'node:crypto';
import { DomainError } from '../kernel/errors.ts';
import { publishScope } from '../kernel/scopes.ts';
import { type FanOutDeps, fanOutMessage } from './fan-out-message.ts';
import { isTopicName } from './ids.ts';
import type { Message } from './message.ts';
import type { MessageStore, TopicStore } from './ports.ts';
import { checkPayload } from './topic.ts';

export interface PublishDeps extends FanOutDeps {
  topics: Pick<TopicStore, 'get'>;
  messages: Pick<MessageStore, 'saveOnce' | 'get'>;
}

/** An internal system publishing through the API: an app holding `publish:<topic>`. */
export interface Publisher {
  appId: string;
  scopes: readonly string[];
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** The message id of a publish: the same publisher, topic and key always name the same message. */
export function publishedMessageId(appId: string, topic: string, idempotencyKey: string): string {
  const digest = createHash('sha256').update(`${appId}\n${topic}\n${idempotencyKey}`).digest('base64url');
  return `pub_${digest.slice(0, 27)}`;
}

/**
 * Publishes one message: the publisher must hold the topic's publish scope, the payload must pass the
 * topic's schema (else nothing is stored), and the `Idempotency-Key` makes retries safe: the same key
 * with the same payload answers as the first call did (fanning out again whatever a crash left
 * undone), with another payload it is refused.
 */
export async function publishMessage(
  deps: PublishDeps,
  publisher: Publisher,
  request: { topic: string; payload: unknown; idempotencyKey: string | undefined },
  now: Date,
): Promise<{ message: Message; replayed: boolean }> {
  const { topic: name, payload, idempotencyKey } = request;
  if (!publisher.scopes.includes(publishScope(name))) {
    throw new DomainError(
      'forbidden',
      `Publishing to ${name.slice(0, 64)} needs the scope ${publishScope(name).slice(0, 80)}.`,
      {
        missingScopes: [publishScope(name)],
      },
    );
  }
  if (idempotencyKey === undefined || !IDEMPOTENCY_KEY.test(idempotencyKey)) {
    throw new DomainError(
      'bad-request',
      'An Idempotency-Key header of 1 to 255 visible ASCII characters is required.',
    );
  }
  const topic = isTopicName(name) ? await deps.topics.get(name) : undefined;
  if (!topic) throw new DomainError('not-found', `No topic is named "${name.slice(0, 64)}".`);
  checkPayload(topic, payload);

  const message: Message = {
    messageId: publishedMessageId(publisher.appId, topic.name, idempotencyKey),
    topic: topic.name,
    source: `publisher:${publisher.appId}`,
    payload,
    status: 'Accepted',
    publishedAt: now.toISOString(),
    receivedAt: now.toISOString(),
  };
  let stored = message;
  const replayed = (await deps.messages.saveOnce(message)) === 'duplicate';
  if (replayed) {
    stored = (await deps.messages.get(message.messageId)) ?? message;
    if (JSON.stringify(stored.payload) !== JSON.stringify(payload)) {
      throw new DomainError(
        'conflict',
        'This Idempotency-Key was used with another payload; use a new key for a new message.',
      );
    }
  }
  await fanOutMessage(deps, stored);
  return { message: stored, replayed };
}
