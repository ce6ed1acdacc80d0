import { createHash } from 'node:crypto';
import { type FanOutDeps, fanOutMessage } from './fan-out-message.ts';
import type { Message } from './message.ts';
import type { DeliveryEvent, MessageStore } from './ports.ts';
import { isPlatformTopic } from './topic.ts';

/** The platform topic of what happens to an app's subscriptions and deliveries (events/topics/). */
export const SUBSCRIPTION_EVENTS_TOPIC = 'portico.subscription-events';

const TYPES: Record<DeliveryEvent['kind'], string> = {
  exhausted: 'delivery.exhausted',
  recovered: 'delivery.recovered',
  'warn-disable': 'subscription.disabling',
  disable: 'subscription.disabled',
  'disable-gone': 'subscription.disabled',
};

/** What the app is told, and who it is about. Events about the platform topic itself are not told (no loops). */
export function operationalMessage(event: DeliveryEvent, at: number): Message | undefined {
  const about = 'delivery' in event ? event.delivery : event.subscription;
  if (isPlatformTopic(about.topic)) return undefined;
  const type = TYPES[event.kind];
  const payload =
    'delivery' in event
      ? {
          type,
          subscriptionId: event.delivery.subscriptionId,
          deliveryId: event.delivery.deliveryId,
          messageId: event.delivery.messageId,
          topic: event.delivery.topic,
          attempts: event.delivery.attempts,
          ...(event.delivery.lastError ? { lastError: event.delivery.lastError } : {}),
        }
      : {
          type,
          subscriptionId: event.subscription.subscriptionId,
          topic: event.subscription.topic,
          ...(event.kind === 'disable-gone'
            ? { reason: 'gone' }
            : event.kind === 'disable'
              ? { reason: 'failing' }
              : {}),
          ...(event.subscription.health.failingSince
            ? { failingSince: new Date(event.subscription.health.failingSince).toISOString() }
            : {}),
        };
  // One message per event and moment: a worker that reports the same event twice stores it once.
  const id = createHash('sha256')
    .update(`${type}\n${'deliveryId' in payload ? payload.deliveryId : payload.subscriptionId}\n${at}`)
    .digest('base64url')
    .slice(0, 27);
  const when = new Date(at).toISOString();
  return {
    messageId: `evt_${id}`,
    topic: SUBSCRIPTION_EVENTS_TOPIC,
    source: 'portico',
    payload,
    status: 'Accepted',
    audience: about.appId,
    publishedAt: when,
    receivedAt: when,
  };
}

/** Tells the app concerned, through its subscriptions to the platform topic: stored, then fanned out. */
export async function tellApp(
  deps: FanOutDeps & { messages: Pick<MessageStore, 'saveOnce'> },
  event: DeliveryEvent,
  at: number,
): Promise<Message | undefined> {
  const message = operationalMessage(event, at);
  if (!message) return undefined;
  await deps.messages.saveOnce(message);
  await fanOutMessage(deps, message);
  return message;
}
