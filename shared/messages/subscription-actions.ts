import type { EgressGuard } from '../egress/guard.ts';
import type { SecretCipher } from '../identity/ports.ts';
import { DomainError } from '../kernel/errors.ts';
import { type Page, type PageRequest, paged } from '../kernel/page.ts';
import type { RateLimitPolicy } from '../kernel/rate-limit-policy.ts';
import { bodyValidator } from '../kernel/validation.ts';
import {
  type CreateSubscriptionDeps,
  checkWebhookUrl,
  createSubscription,
  webhookSecretContext,
} from './create-subscription.ts';
import { type Delivery, type DeliveryStatus, release, replay } from './delivery.ts';
import { isSubscriptionId } from './ids.ts';
import type { DeliveryQueue, DeliveryStore, Subscription, SubscriptionStore, TopicStore } from './ports.ts';
import { validateRetrySchedule } from './retry-schedule.ts';
import { type PayloadFilter, payloadFilterSchema, subscriptionRateLimitSchema } from './subscription.ts';
import { generateWebhookSecret } from './webhook-signature.ts';

/** Who is asking: an app, through its own token. Every action is limited to that app's subscriptions. */
export interface Caller {
  appId: string;
  scopes: readonly string[];
}

export interface SubscriptionActionDeps {
  topics: Pick<TopicStore, 'get'>;
  subscriptions: SubscriptionStore;
  deliveries: Pick<DeliveryStore, 'get' | 'save' | 'listBySubscription'>;
  queue: DeliveryQueue;
  cipher: SecretCipher;
  egress: EgressGuard;
  clock: () => number;
}

/** A subscription as its app sees it: never a secret, only when each signing secret was made and expires. */
export function subscriptionView(s: Subscription) {
  return {
    subscriptionId: s.subscriptionId,
    topic: s.topic,
    mode: s.mode,
    ...(s.url ? { url: s.url } : {}),
    ...(s.description ? { description: s.description } : {}),
    ...(s.filter ? { filter: s.filter } : {}),
    ...(s.retrySchedule ? { retrySchedule: s.retrySchedule } : {}),
    ...(s.rateLimit ? { rateLimit: s.rateLimit } : {}),
    ...(s.ordered ? { ordered: true } : {}),
    state: s.state,
    ...(s.health.failingSince ? { failingSince: new Date(s.health.failingSince).toISOString() } : {}),
    signingSecrets: s.secrets.map((v) => ({
      createdAt: new Date(v.createdAt).toISOString(),
      ...(v.expiresAt ? { expiresAt: new Date(v.expiresAt).toISOString() } : {}),
    })),
    createdAt: new Date(s.createdAt).toISOString(),
  };
}

export interface SubscriptionUpdate {
  url?: string;
  description?: string;
  filter?: PayloadFilter | null;
  retrySchedule?: number[] | null;
  rateLimit?: RateLimitPolicy | null;
  state?: 'active' | 'paused';
}

export const subscriptionUpdateSchema = {
  type: 'object',
  properties: {
    url: { type: 'string', maxLength: 2000 },
    description: { type: 'string', maxLength: 500 },
    filter: { anyOf: [payloadFilterSchema, { type: 'null' }] },
    retrySchedule: { anyOf: [{ type: 'array', items: { type: 'integer' }, maxItems: 50 }, { type: 'null' }] },
    rateLimit: { anyOf: [subscriptionRateLimitSchema, { type: 'null' }] },
    state: { enum: ['active', 'paused'] },
  },
  additionalProperties: false,
  minProperties: 1,
} as const;

const readUpdate = bodyValidator<SubscriptionUpdate>(subscriptionUpdateSchema);
const readRotation = bodyValidator<{ overlapSeconds?: number }>({
  type: 'object',
  properties: { overlapSeconds: { type: 'integer', minimum: 0, maximum: 7 * 86_400 } },
  additionalProperties: false,
});
const readRecovery = bodyValidator<{ since: string }>({
  type: 'object',
  properties: { since: { type: 'string', format: 'date-time' } },
  required: ['since'],
  additionalProperties: false,
});

/** How long the previous secret keeps signing after a rotation, unless the app says otherwise (Svix: 24 h). */
export const DEFAULT_ROTATION_OVERLAP_SECONDS = 86_400;
/** Deliveries moved by one resume or recover call; a caller with more repeats it (each call is idempotent). */
export const MAX_MOVED_PER_CALL = 1_000;

/**
 * What an app does with its subscriptions through the developer API. Another app's subscription is
 * answered exactly as one that does not exist, so ids cannot be probed.
 */
export class SubscriptionActions {
  constructor(private readonly deps: SubscriptionActionDeps) {}

  create(caller: Caller, body: unknown) {
    const deps: CreateSubscriptionDeps = this.deps;
    return createSubscription(deps, caller, body, new Date(this.deps.clock()));
  }

  async list(caller: Caller, page: PageRequest): Promise<Page<Subscription>> {
    return paged(() => this.deps.subscriptions.listByApp(caller.appId, page));
  }

  async get(caller: Caller, subscriptionId: string): Promise<Subscription> {
    const subscription = isSubscriptionId(subscriptionId)
      ? await this.deps.subscriptions.get(subscriptionId)
      : undefined;
    if (!subscription || subscription.appId !== caller.appId) {
      throw new DomainError('not-found', 'No subscription of this app has this id.');
    }
    return subscription;
  }

  /**
   * Changes what the app may change; `state: 'active'` resumes a paused or disabled subscription and
   * sends what it held, oldest first.
   */
  async update(caller: Caller, subscriptionId: string, body: unknown) {
    const change = readUpdate(body);
    const current = await this.get(caller, subscriptionId);
    const next: Subscription = { ...current, version: current.version + 1 };
    if (change.url !== undefined) {
      if (current.mode !== 'webhook') invalid('/url', 'is only for webhook subscriptions');
      await checkWebhookUrl(this.deps.egress, change.url);
      next.url = change.url;
    }
    if (change.description !== undefined) next.description = change.description;
    if (change.filter === null) delete next.filter;
    else if (change.filter !== undefined) next.filter = change.filter;
    if (change.retrySchedule === null) delete next.retrySchedule;
    else if (change.retrySchedule !== undefined)
      next.retrySchedule = [...validateRetrySchedule(change.retrySchedule)];
    if (change.rateLimit === null) delete next.rateLimit;
    else if (change.rateLimit !== undefined) next.rateLimit = change.rateLimit;
    if (change.state !== undefined) {
      next.state = change.state;
      if (change.state === 'active') next.health = {};
    }
    if (!(await this.deps.subscriptions.save(next, current.version))) {
      throw new DomainError('conflict', 'The subscription changed meanwhile; read it again and retry.');
    }
    const released = next.state === 'active' ? await this.releaseHeld(next) : { moved: 0, more: false };
    return { subscription: next, released };
  }

  /**
   * A new signing secret, returned once. The previous one keeps signing alongside it for the overlap,
   * so receivers can switch without losing a delivery; older ones are dropped.
   */
  async rotateSecret(caller: Caller, subscriptionId: string, body: unknown) {
    const { overlapSeconds = DEFAULT_ROTATION_OVERLAP_SECONDS } = readRotation(body ?? {});
    const current = await this.get(caller, subscriptionId);
    if (current.mode !== 'webhook')
      throw new DomainError('conflict', 'Only webhook subscriptions have a signing secret.');
    const now = this.deps.clock();
    const secret = generateWebhookSecret();
    const ciphertext = await this.deps.cipher.encrypt(secret, webhookSecretContext(current));
    const previous = current.secrets[0];
    const expiresAt = now + overlapSeconds * 1000;
    const kept =
      previous && overlapSeconds > 0 && (previous.expiresAt === undefined || previous.expiresAt > now)
        ? [{ ...previous, expiresAt: Math.min(previous.expiresAt ?? expiresAt, expiresAt) }]
        : [];
    const next: Subscription = {
      ...current,
      secrets: [{ ciphertext, createdAt: now }, ...kept],
      version: current.version + 1,
    };
    if (!(await this.deps.subscriptions.save(next, current.version))) {
      throw new DomainError('conflict', 'The subscription changed meanwhile; retry.');
    }
    return {
      subscription: next,
      secret,
      ...(kept[0]?.expiresAt ? { previousExpiresAt: kept[0].expiresAt } : {}),
    };
  }

  /** Deletes the subscription: fan-out stops at once; deliveries already made stay readable until they expire. */
  async delete(caller: Caller, subscriptionId: string): Promise<void> {
    const current = await this.get(caller, subscriptionId);
    if (!(await this.deps.subscriptions.delete(current, current.version))) {
      throw new DomainError('conflict', 'The subscription changed meanwhile; retry.');
    }
  }

  /** Svix's "recover": every delivery of the subscription that failed since `since` gets a new round. */
  async recover(caller: Caller, subscriptionId: string, body: unknown) {
    const { since } = readRecovery(body);
    const subscription = await this.get(caller, subscriptionId);
    const from = Date.parse(since);
    return this.moveAll(subscription, 'Failed', from, (d, at) => replay(d, at));
  }

  private releaseHeld(subscription: Subscription) {
    return this.moveAll(subscription, 'Paused', 0, (d, at) => release(d, at));
  }

  /** Moves up to MAX_MOVED_PER_CALL deliveries in `status` (from `from` on) and queues them at once. */
  private async moveAll(
    subscription: Subscription,
    status: DeliveryStatus,
    from: number,
    move: (d: Delivery, at: number) => Delivery,
  ): Promise<{ moved: number; more: boolean }> {
    let moved = 0;
    let cursor: string | undefined;
    do {
      const page = await this.deps.deliveries.listBySubscription(
        subscription.subscriptionId,
        status,
        { from },
        { limit: 100, ...(cursor ? { cursor } : {}) },
      );
      const now = this.deps.clock();
      const due: { deliveryId: string; subscriptionId: string; dueAt: number }[] = [];
      for (const delivery of page.items) {
        const next = move(delivery, now);
        if (next === delivery || !(await this.deps.deliveries.save(next, delivery.version))) continue;
        moved++;
        // Webhook and WebSocket deliveries are sent by the worker; pull ones wait to be pulled.
        if (subscription.mode !== 'pull')
          due.push({ deliveryId: next.deliveryId, subscriptionId: next.subscriptionId, dueAt: now });
      }
      if (due.length > 0) await this.deps.queue.enqueue(due);
      cursor = page.next;
    } while (cursor && moved < MAX_MOVED_PER_CALL);
    return { moved, more: cursor !== undefined };
  }
}

const invalid = (pointer: string, message: string): never => {
  throw new DomainError('validation-failed', `${pointer.slice(1)} ${message}.`, {
    errors: [{ pointer, message }],
  });
};
