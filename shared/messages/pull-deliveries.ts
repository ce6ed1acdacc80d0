import { DomainError } from '../kernel/errors.ts';
import { bodyValidator } from '../kernel/validation.ts';
import { acknowledge, type Delivery, lease } from './delivery.ts';
import type { Message } from './message.ts';
import type { DeliveryStore, MessageStore, Subscription } from './ports.ts';

export interface PullDeps {
  deliveries: Pick<DeliveryStore, 'get' | 'save' | 'listBySubscription'>;
  messages: Pick<MessageStore, 'get'>;
  clock: () => number;
}

export interface PulledDelivery {
  deliveryId: string;
  messageId: string;
  topic: string;
  publishedAt: string;
  payload: unknown;
  attempt: number;
  leaseExpiresAt: string;
}

export const DEFAULT_PULL = { max: 10, leaseSeconds: 60 } as const;
const readPull = bodyValidator<{ max?: number; leaseSeconds?: number }>({
  type: 'object',
  properties: {
    max: { type: 'integer', minimum: 1, maximum: 100 },
    leaseSeconds: { type: 'integer', minimum: 5, maximum: 3_600 },
  },
  additionalProperties: false,
});
const readAck = bodyValidator<{ deliveryIds: string[] }>({
  type: 'object',
  properties: {
    deliveryIds: {
      type: 'array',
      items: { type: 'string', pattern: '^msg_[A-Za-z0-9_-]{27}$' },
      minItems: 1,
      maxItems: 100,
      uniqueItems: true,
    },
  },
  required: ['deliveryIds'],
  additionalProperties: false,
});

const takesPulls = (subscription: Subscription): void => {
  if (subscription.mode === 'webhook') {
    throw new DomainError(
      'conflict',
      'A webhook subscription is delivered by the platform; pull is for pull and websocket ones.',
    );
  }
};

/**
 * Takes up to `max` due deliveries of a pull (or WebSocket) subscription, oldest first, each leased for
 * `leaseSeconds`: one not acknowledged within its lease is due again and comes back in a later pull.
 * Two pullers never lease the same delivery at once (each lease is a versioned write).
 */
export async function pullDeliveries(
  deps: PullDeps,
  subscription: Subscription,
  body: unknown,
): Promise<PulledDelivery[]> {
  takesPulls(subscription);
  const { max = DEFAULT_PULL.max, leaseSeconds = DEFAULT_PULL.leaseSeconds } = readPull(body);
  if (subscription.state !== 'active') return [];
  const now = deps.clock();
  const due = await deps.deliveries.listBySubscription(
    subscription.subscriptionId,
    'Queued',
    { to: now },
    { limit: max * 2 },
  );
  const pulled: PulledDelivery[] = [];
  const messages = new Map<string, Message | undefined>();
  for (const delivery of due.items) {
    if (pulled.length === max) break;
    const leased = lease(delivery, now, leaseSeconds * 1000);
    if (leased === delivery || !(await deps.deliveries.save(leased, delivery.version))) continue;
    if (!messages.has(delivery.messageId))
      messages.set(delivery.messageId, await deps.messages.get(delivery.messageId));
    const message = messages.get(delivery.messageId);
    if (!message) continue;
    pulled.push({
      deliveryId: leased.deliveryId,
      messageId: leased.messageId,
      topic: leased.topic,
      publishedAt: message.publishedAt,
      payload: message.payload,
      attempt: leased.attempts,
      leaseExpiresAt: new Date(leased.dueAt!).toISOString(),
    });
  }
  return pulled;
}

/**
 * Marks deliveries of the subscription Sent. An id that is not one of its deliveries is reported, not
 * acknowledged; acknowledging twice is harmless.
 */
export async function acknowledgeDeliveries(
  deps: PullDeps,
  subscription: Subscription,
  body: unknown,
): Promise<{ acknowledged: string[]; unknown: string[] }> {
  takesPulls(subscription);
  const { deliveryIds } = readAck(body);
  return acknowledgeHeld(deps, (id) => id === subscription.subscriptionId, deliveryIds);
}

/** The ids of an acknowledgement (`{"deliveryIds": […]}`, 1 to 100 delivery ids); refused otherwise. */
export const readAcknowledgement = (body: unknown): string[] => readAck(body).deliveryIds;

/**
 * Marks Sent each delivery whose subscription `holds` says the caller holds (the HTTP ack: the one
 * subscription in the path; a WebSocket connection: the subscriptions it receives). Any other id is
 * reported as unknown and left as it is, whoever's delivery it is.
 */
export async function acknowledgeHeld(
  deps: Pick<PullDeps, 'deliveries' | 'clock'>,
  holds: (subscriptionId: string) => boolean,
  deliveryIds: readonly string[],
): Promise<{ acknowledged: string[]; unknown: string[] }> {
  const acknowledged: string[] = [];
  const unknown: string[] = [];
  for (const id of deliveryIds) {
    const outcome = await acknowledgeOne(deps, holds, id);
    (outcome ? acknowledged : unknown).push(id);
  }
  return { acknowledged, unknown };
}

async function acknowledgeOne(
  deps: Pick<PullDeps, 'deliveries' | 'clock'>,
  holds: (subscriptionId: string) => boolean,
  deliveryId: string,
): Promise<boolean> {
  for (let tries = 0; tries < 3; tries++) {
    const delivery: Delivery | undefined = await deps.deliveries.get(deliveryId);
    if (!delivery || !holds(delivery.subscriptionId)) return false;
    if (delivery.status === 'Sent') return true;
    const next = acknowledge(delivery, deps.clock());
    if (next === delivery) return false;
    if (await deps.deliveries.save(next, delivery.version)) return true;
  }
  return false;
}
