import { createHash } from 'node:crypto';
import { type FanOutDeps, fanOutMessage } from './fan-out-message.ts';
import type { Message } from './message.ts';
import type { MessageStore } from './ports.ts';

export type PlatformMessageDeps = FanOutDeps & { messages: Pick<MessageStore, 'saveOnce'> };

/**
 * A message of a platform topic (`portico.*`). Its id is derived from `key`, what makes two reports
 * of one happening the same: published twice, stored and delivered once. With an `audience`, only
 * that app's subscriptions receive it.
 */
export function platformMessage(input: {
  topic: string;
  key: string;
  payload: unknown;
  at: string;
  audience?: string;
}): Message {
  const id = createHash('sha256').update(input.key).digest('base64url').slice(0, 27);
  return {
    messageId: `evt_${id}`,
    topic: input.topic,
    source: 'portico',
    payload: input.payload,
    status: 'Accepted',
    ...(input.audience !== undefined ? { audience: input.audience } : {}),
    publishedAt: input.at,
    receivedAt: input.at,
  };
}

/** Stores the message once, then creates and queues its deliveries: safe to repeat after a crash. */
export async function publishPlatformMessage(deps: PlatformMessageDeps, message: Message): Promise<void> {
  await deps.messages.saveOnce(message);
  await fanOutMessage(deps, message);
}
