import type { DeliveryRecord } from '../analytics/delivery-record.ts';
import { epochSeconds } from '../kernel/time.ts';
import { type AttemptOutcome, outcomeOfStatus } from './attempt-outcome.ts';
import { afterAttempt, claim, type Delivery, hold, RESPONSE_EXCERPT_BYTES } from './delivery.ts';
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
import { ExpiringCache } from './worker-cache.ts';

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
  /**
   * What this worker keeps between deliveries (see `DeliveryReads`); by default one per `deps`
   * object, i.e. per container. `false`: every delivery reads everything again.
   */
  reads?: DeliveryReads | false;
}

/** How long a worker uses a subscription it read: a change reaches every worker within this. */
export const SUBSCRIPTION_READ_MS = 2_000;
/** How long decrypted signing secrets are kept (as the gateway keeps app secrets). */
export const SECRETS_READ_MS = 60_000;
/** A claim outlasts the send's timeout by this, for the reads and writes around it. */
const CLAIM_MARGIN_MS = 10_000;

/**
 * What a worker keeps between deliveries instead of reading it for every one, mostly for the
 * deliveries of one batch, which often share a message or a subscription:
 * - messages, by id, for as long as there is room: a stored message never changes;
 * - subscriptions, for `SUBSCRIPTION_READ_MS`: a pause, a new URL or a rotation made meanwhile applies
 *   that much later — as it already does to a delivery read just before the change and still being
 *   sent. Every write of a subscription (health) is a versioned write, so a stale copy only loses that
 *   write (dropped from here, decided again by the next attempt), never overwrites anything;
 * - decrypted secrets, per subscription version (a rotation is a new version), for `SECRETS_READ_MS`
 *   and never past the expiry of one of them.
 */
export interface DeliveryReads {
  messages: ExpiringCache<Message>;
  subscriptions: ExpiringCache<Subscription>;
  secrets: ExpiringCache<string[]>;
}

export const deliveryReads = (): DeliveryReads => ({
  messages: new ExpiringCache(500),
  subscriptions: new ExpiringCache(1_000),
  secrets: new ExpiringCache(1_000),
});

const readsOf = new WeakMap<DeliverDeps, DeliveryReads>();
function reads(deps: DeliverDeps): DeliveryReads | undefined {
  if (deps.reads !== undefined) return deps.reads || undefined;
  let kept = readsOf.get(deps);
  if (!kept) {
    kept = deliveryReads();
    readsOf.set(deps, kept);
  }
  return kept;
}

const readSubscription = (deps: DeliverDeps, subscriptionId: string, now: number) => {
  const kept = reads(deps);
  return kept
    ? kept.subscriptions.get(subscriptionId, now, SUBSCRIPTION_READ_MS, () =>
        deps.subscriptions.get(subscriptionId),
      )
    : deps.subscriptions.get(subscriptionId);
};

const readMessage = (deps: DeliverDeps, messageId: string, now: number) => {
  const kept = reads(deps);
  return kept
    ? kept.messages.get(messageId, now, Number.POSITIVE_INFINITY, () => deps.messages.get(messageId))
    : deps.messages.get(messageId);
};

const readSecrets = (deps: DeliverDeps, subscription: Subscription, now: number) => {
  const kept = reads(deps);
  if (!kept) return deps.secrets(subscription);
  const expiries = subscription.secrets.flatMap((s) =>
    s.expiresAt !== undefined && s.expiresAt > now ? [s.expiresAt - now] : [],
  );
  return kept.secrets
    .get(
      `${subscription.subscriptionId}#${subscription.version}`,
      now,
      Math.min(SECRETS_READ_MS, ...expiries),
      async () => deps.secrets(subscription),
    )
    .then((secrets) => secrets ?? []);
};

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
  /**
   * Another worker claimed or moved the delivery first: it sends it (or its outcome stands; this
   * attempt is then only logged).
   */
  | { result: 'superseded' };

/** What the receiver gets: Standard Webhooks' `{type, timestamp, data}`, the same bytes on every retry. */
export const webhookBody = (message: Message): Buffer =>
  Buffer.from(JSON.stringify({ type: message.topic, timestamp: message.publishedAt, data: message.payload }));

/**
 * One attempt at one webhook delivery. Safe to run twice for the same delivery (a redelivered queue
 * message, a worker killed mid-way): the worker claims it before sending (a versioned write), so two
 * workers holding it at once send it once; a worker killed after sending leaves the claim to run out,
 * and the receiver may then get it twice (at-least-once, same `webhook-id`). Every attempt is logged.
 */
export async function deliverWebhook(deps: DeliverDeps, deliveryId: string): Promise<DeliverResult> {
  const delivery = await deps.deliveries.get(deliveryId);
  if (delivery?.status !== 'Queued') return { result: 'skipped' };
  const now = deps.clock();
  if (delivery.dueAt! > now) return { result: 'not-due', dueAt: delivery.dueAt! };
  const subscription = await readSubscription(deps, delivery.subscriptionId, now);
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
  read: Delivery,
  subscription: Subscription & { url: string },
  now: number,
  settle: (outcome: AttemptOutcome, latencyMs: number) => void,
): Promise<DeliverResult> {
  const { deliveryId } = read;
  const message = await readMessage(deps, read.messageId, now);
  if (!message) throw new Error(`message ${read.messageId} of delivery ${deliveryId} is missing`);

  const body = webhookBody(message);
  const headers = {
    ...signWebhook(
      { id: deliveryId, timestamp: epochSeconds(now), body },
      await readSecrets(deps, subscription, now),
    ),
    [WEBHOOK_MESSAGE_ID_HEADER]: message.messageId,
    'content-type': 'application/json',
  };
  const delivery = claim(read, now, (deps.timeoutMs ?? 15_000) + CLAIM_MARGIN_MS);
  // Claimed by another worker since it was read: that one sends it, and its queue message stays until
  // it has, so this one can go.
  if (!(await deps.deliveries.save(delivery, read.version))) return { result: 'superseded' };
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
    publishedAt: message.publishedAt,
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
  const kept = reads(deps);
  const save =
    !disable && deps.subscriptions.saveHealth
      ? deps.subscriptions.saveHealth.bind(deps.subscriptions)
      : deps.subscriptions.save.bind(deps.subscriptions);
  if (!(await save(next, subscription.version))) {
    kept?.subscriptions.delete(subscription.subscriptionId);
    return;
  }
  kept?.subscriptions.set(next.subscriptionId, next, at + SUBSCRIPTION_READ_MS);
  if (gone) await deps.events({ kind: 'disable-gone', subscription: next });
  for (const effect of effects) await deps.events({ kind: effect, subscription: next });
}
