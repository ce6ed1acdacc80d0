import type { Message } from './message.ts';
import { type PlatformMessageDeps, platformMessage, publishPlatformMessage } from './platform-message.ts';
import type { DeliveryEvent } from './ports.ts';
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
  return platformMessage({
    topic: SUBSCRIPTION_EVENTS_TOPIC,
    key: `${type}\n${'deliveryId' in payload ? payload.deliveryId : payload.subscriptionId}\n${at}`,
    payload,
    at: new Date(at).toISOString(),
    audience: about.appId,
  });
}

/** Tells the app concerned, through its subscriptions to the platform topic: stored, then fanned out. */
export async function tellApp(
  deps: PlatformMessageDeps,
  event: DeliveryEvent,
  at: number,
): Promise<Message | undefined> {
  const message = operationalMessage(event, at);
  if (!message) return undefined;
  await publishPlatformMessage(deps, message);
  return message;
}
