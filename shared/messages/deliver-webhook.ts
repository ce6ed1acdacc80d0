import type { DeliveryRecord } from '../analytics/delivery-record.ts';
import { epochSeconds } from '../kernel/time.ts';
import { type AttemptOutcome, outcomeOfStatus } from './attempt-outcome.ts';
import { afterAttempt, type Delivery, hold, RESPONSE_EXCERPT_BYTES } from './delivery.ts';
import type { EndpointGuard } from './endpoint-guard.ts';
import type { Message } from './message.ts';
import { headOf } from './ordered-delivery.ts';
import {
  type DeliveryEvents,
  type DeliveryStore,
  type MessageStore,
  type QueueItem,
  type Subscription,
  type SubscriptionStore,
  type WebhookSecrets,
  WebhookSendError,
  type WebhookSender,
} from './ports.ts';
import { DEFAULT_RETRY_SCHEDULE } from './retry-schedule.ts';
import { DEFAULT_ENDPOINT_HEALTH, type EndpointHealthPolicy, endpointHealthAfter } from './subscription.ts';
import { signWebhook, WEBHOOK_MESSAGE_ID_HEADER } from './webhook-signature.ts';

export interface DeliverDeps {
  deliveries: DeliveryStore;
  subscriptions: SubscriptionStore;
  messages: MessageStore;
  secrets: WebhookSecrets;
  send: WebhookSender;
  events: DeliveryEvents;
  clock: () => number;
  /** A 2xx must arrive within this (Svix: 15 s). */
  timeoutMs?: number;
  /** Per receiving host: a concurrency cap and a circuit breaker (none: every attempt is made). */
  endpoints?: EndpointGuard;
  /** The subscription's own rate (`rateLimit`), shared by every worker; none: not enforced. */
  throttle?: (subscription: Subscription) => Promise<{ allowed: boolean; retryAfterMs?: number }>;
  /** Every attempt, for analytics (buffered: must not wait or throw). */
  record?: (record: DeliveryRecord) => void;
  endpointHealth?: EndpointHealthPolicy;
}

export type DeliverResult =
  /** Nothing to do: unknown, no longer Queued, or its subscription is gone. */
  | { result: 'skipped' }
  /** Not due yet: come back at `dueAt`. */
  | { result: 'not-due'; dueAt: number }
  /** The subscription is paused or disabled: the delivery is held until it resumes. */
  | { result: 'held' }
  /** An ordered subscription's delivery that is not its head: the head's completion queues it in turn. */
  | { result: 'waiting' }
  | { result: 'sent'; next?: QueueItem }
  | { result: 'retry'; dueAt: number }
  /**
   * Not attempted: its receiving host is busy or its breaker open, or the subscription used its rate.
   * No attempt counted; back at `dueAt`.
   */
  | { result: 'deferred'; dueAt: number; reason: 'busy' | 'circuit-open' | 'rate-limited' }
  | { result: 'failed'; next?: QueueItem }
  /** Another worker moved the delivery first; its outcome stands, this attempt is only logged. */
  | { result: 'superseded' };

/** What the receiver gets: Standard Webhooks' `{type, timestamp, data}`, the same bytes on every retry. */
export const webhookBody = (message: Message): Buffer =>
  Buffer.from(JSON.stringify({ type: message.topic, timestamp: message.publishedAt, data: message.payload }));

/**
 * One attempt at one webhook delivery. Safe to run twice for the same delivery (a redelivered queue
 * message, a worker killed mid-way): the receiver may get it twice (at-least-once, same `webhook-id`),
 * the delivery moves once (version check), and every attempt is logged.
 */
export async function deliverWebhook(deps: DeliverDeps, deliveryId: string): Promise<DeliverResult> {
  const delivery = await deps.deliveries.get(deliveryId);
  if (delivery?.status !== 'Queued') return { result: 'skipped' };
  const now = deps.clock();
  if (delivery.dueAt! > now) return { result: 'not-due', dueAt: delivery.dueAt! };
  const subscription = await deps.subscriptions.get(delivery.subscriptionId);
  if (!subscription?.url) return { result: 'skipped' };
  if (subscription.state !== 'active') {
    await deps.deliveries.save(hold(delivery, now), delivery.version);
    return { result: 'held' };
  }
  if (
    delivery.ordered &&
    (await headOf(deps.deliveries, delivery.subscriptionId))?.deliveryId !== deliveryId
  ) {
    return { result: 'waiting' };
  }
  const { url } = subscription;
  if (subscription.rateLimit && deps.throttle) {
    const { allowed, retryAfterMs = 1_000 } = await deps.throttle(subscription);
    if (!allowed)
      return { result: 'deferred', dueAt: now + Math.max(retryAfterMs, 100), reason: 'rate-limited' };
  }
  const admission = deps.endpoints?.admit(url, now);
  if (admission && !admission.admitted) {
    return { result: 'deferred', dueAt: now + admission.retryAfterMs, reason: admission.reason };
  }
  let settled = false;
  try {
    return await attemptDelivery(deps, delivery, { ...subscription, url }, now, (outcome, latencyMs) => {
      settled = true;
      admission?.done(outcome, latencyMs, deps.clock());
    });
  } finally {
    // Failed before the request was made (a store or KMS error): the slot goes back, the endpoint unjudged.
    if (!settled && admission?.admitted) admission.cancel(deps.clock());
  }
}

async function attemptDelivery(
  deps: DeliverDeps,
  delivery: Delivery,
  subscription: Subscription & { url: string },
  now: number,
  settle: (outcome: AttemptOutcome, latencyMs: number) => void,
): Promise<DeliverResult> {
  const { deliveryId } = delivery;
  const message = await deps.messages.get(delivery.messageId);
  if (!message) throw new Error(`message ${delivery.messageId} of delivery ${deliveryId} is missing`);

  const body = webhookBody(message);
  const headers = {
    ...signWebhook(
      { id: delivery.deliveryId, timestamp: epochSeconds(now), body },
      await deps.secrets(subscription),
    ),
    [WEBHOOK_MESSAGE_ID_HEADER]: message.messageId,
    'content-type': 'application/json',
  };
  const { outcome, latencyMs, status, excerpt } = await attempt(deps, subscription.url, headers, body);
  settle(outcome, latencyMs);
  const at = deps.clock();
  await deps.deliveries.appendAttempt({
    deliveryId,
    attempt: delivery.attempts + 1,
    at,
    latencyMs,
    ...(status !== undefined ? { status } : {}),
    ...(outcome.kind === 'failed' ? { errorClass: outcome.errorClass } : {}),
    ...(excerpt ? { responseExcerpt: excerpt } : {}),
  });

  const { delivery: next, effects } = afterAttempt(
    delivery,
    outcome,
    at,
    subscription.retrySchedule ?? DEFAULT_RETRY_SCHEDULE,
  );
  deps.record?.({
    v: 1,
    kind: 'delivery',
    timestamp: new Date(at).toISOString(),
    deliveryId,
    messageId: delivery.messageId,
    subscriptionId: subscription.subscriptionId,
    appId: subscription.appId,
    topic: delivery.topic,
    attempt: delivery.attempts + 1,
    outcome: next.status === 'Sent' ? 'sent' : next.status === 'Failed' ? 'failed' : 'retry',
    endpoint: new URL(subscription.url).origin,
    ...(status !== undefined ? { status } : {}),
    ...(outcome.kind === 'failed' ? { errorClass: outcome.errorClass } : {}),
    latencyMs,
  });
  if (!(await deps.deliveries.save(next, delivery.version))) return { result: 'superseded' };
  await updateEndpoint(
    deps,
    subscription,
    outcome,
    at,
    effects.some((e) => e.kind === 'disable-subscription'),
  );
  for (const effect of effects) {
    if (effect.kind === 'exhausted' || effect.kind === 'recovered') {
      await deps.events({ kind: effect.kind, delivery: next });
    }
  }
  if (next.status === 'Sent' || next.status === 'Failed') {
    const result = next.status === 'Sent' ? ('sent' as const) : ('failed' as const);
    const head = next.ordered ? await headOf(deps.deliveries, next.subscriptionId) : undefined;
    return head
      ? {
          result,
          next: { deliveryId: head.deliveryId, subscriptionId: head.subscriptionId, dueAt: head.dueAt! },
        }
      : { result };
  }
  return { result: 'retry', dueAt: next.dueAt! };
}

async function attempt(
  deps: DeliverDeps,
  url: string,
  headers: Record<string, string>,
  body: Buffer,
): Promise<{ outcome: AttemptOutcome; latencyMs: number; status?: number; excerpt?: string }> {
  try {
    const answer = await deps.send({ url, headers, body, timeoutMs: deps.timeoutMs ?? 15_000 });
    return {
      outcome: outcomeOfStatus(answer.status, answer.retryAfter),
      latencyMs: answer.latencyMs,
      status: answer.status,
      excerpt: answer.excerpt.slice(0, RESPONSE_EXCERPT_BYTES),
    };
  } catch (error) {
    if (!(error instanceof WebhookSendError)) throw error;
    return { outcome: { kind: 'failed', errorClass: error.errorClass }, latencyMs: error.latencyMs };
  }
}

/** The endpoint's health after the attempt; a 410 or a long run of failures disables the subscription. */
async function updateEndpoint(
  deps: DeliverDeps,
  subscription: Subscription,
  outcome: AttemptOutcome,
  at: number,
  gone: boolean,
): Promise<void> {
  const { health, effects } = endpointHealthAfter(
    subscription.health,
    outcome,
    at,
    deps.endpointHealth ?? DEFAULT_ENDPOINT_HEALTH,
  );
  const disable = gone || effects.includes('disable');
  const unchanged =
    !disable &&
    health.failingSince === subscription.health.failingSince &&
    health.warnedAt === subscription.health.warnedAt;
  if (unchanged) return;
  const next: Subscription = {
    ...subscription,
    health,
    ...(disable ? { state: 'disabled' as const } : {}),
    version: subscription.version + 1,
  };
  // Lost to a concurrent update: the next attempt reads the stored health and decides again.
  if (!(await deps.subscriptions.save(next, subscription.version))) return;
  if (gone) await deps.events({ kind: 'disable-gone', subscription: next });
  for (const effect of effects) await deps.events({ kind: effect, subscription: next });
}
