import { newId } from '../crypto/random.ts';
import type { EgressGuard } from '../egress/guard.ts';
import type { SecretCipher } from '../identity/ports.ts';
import { DomainError } from '../kernel/errors.ts';
import type { RateLimitPolicy } from '../kernel/rate-limit-policy.ts';
import { bodyValidator } from '../kernel/validation.ts';
import type { Subscription, SubscriptionStore } from './ports.ts';
import { validateRetrySchedule } from './retry-schedule.ts';
import {
  type DeliveryMode,
  type PayloadFilter,
  payloadFilterSchema,
  subscriptionRateLimitSchema,
} from './subscription.ts';
import { maySubscribe, TOPIC_NAME_PATTERN, type Topic } from './topic.ts';
import { generateWebhookSecret } from './webhook-signature.ts';

export interface SubscriptionRequest {
  topic: string;
  mode: DeliveryMode;
  url?: string;
  filter?: PayloadFilter;
  retrySchedule?: number[];
  rateLimit?: RateLimitPolicy;
  ordered?: boolean;
  description?: string;
}

export const subscriptionRequestSchema = {
  type: 'object',
  properties: {
    topic: { type: 'string', pattern: TOPIC_NAME_PATTERN },
    mode: { enum: ['webhook', 'websocket', 'pull'] },
    url: { type: 'string', maxLength: 2000 },
    filter: payloadFilterSchema,
    retrySchedule: { type: 'array', items: { type: 'integer' }, maxItems: 50 },
    rateLimit: subscriptionRateLimitSchema,
    ordered: { type: 'boolean' },
    description: { type: 'string', maxLength: 500 },
  },
  required: ['topic', 'mode'],
  additionalProperties: false,
} as const;

const readRequest = bodyValidator<SubscriptionRequest>(subscriptionRequestSchema);

/** The KMS encryption context of a subscription's webhook secrets: bound to their owner. */
export const webhookSecretContext = (subscription: Pick<Subscription, 'appId' | 'subscriptionId'>) => ({
  appId: subscription.appId,
  subscriptionId: subscription.subscriptionId,
  purpose: 'webhook-secret',
});

export interface CreateSubscriptionDeps {
  topics: { get(name: string): Promise<Topic | undefined> };
  subscriptions: Pick<SubscriptionStore, 'create'>;
  cipher: SecretCipher;
  egress: EgressGuard;
}

const invalid = (pointer: string, message: string): never => {
  throw new DomainError('validation-failed', `${pointer.slice(1)} ${message}.`, {
    errors: [{ pointer, message }],
  });
};

/** Loopback may be reached over plain HTTP where the egress policy allows it (locally); anything else over HTTPS. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * An app subscribes to a topic its scopes allow. A webhook URL is an egress decision now and again at
 * each send. The signing secret is returned once; only its KMS ciphertext is kept.
 */
export async function createSubscription(
  deps: CreateSubscriptionDeps,
  caller: { appId: string; scopes: readonly string[] },
  body: unknown,
  now: Date,
): Promise<{ subscription: Subscription; secret?: string }> {
  const request = readRequest(body);
  const retrySchedule =
    request.retrySchedule === undefined ? undefined : validateRetrySchedule(request.retrySchedule);
  const topic = await deps.topics.get(request.topic);
  if (!topic) return invalid('/topic', 'names no topic');
  if (!maySubscribe(topic, caller.scopes)) {
    throw new DomainError('forbidden', `Subscribing to ${topic.name} needs the scope ${topic.scope}.`, {
      missingScopes: [topic.scope],
    });
  }
  if (request.ordered && request.mode !== 'webhook') invalid('/ordered', 'is only for webhook subscriptions');
  if (request.mode === 'webhook') await checkWebhookUrl(deps.egress, request.url);
  else if (request.url !== undefined) invalid('/url', 'is only for webhook subscriptions');

  const subscription: Subscription = {
    subscriptionId: newId('sub'),
    appId: caller.appId,
    topic: topic.name,
    mode: request.mode,
    ...(request.url ? { url: request.url } : {}),
    ...(request.filter ? { filter: request.filter } : {}),
    ...(retrySchedule ? { retrySchedule } : {}),
    ...(request.description ? { description: request.description } : {}),
    ...(request.rateLimit ? { rateLimit: request.rateLimit } : {}),
    ...(request.ordered ? { ordered: true } : {}),
    state: 'active',
    health: {},
    secrets: [],
    version: 1,
    createdAt: now.getTime(),
  };
  let secret: string | undefined;
  if (request.mode === 'webhook') {
    secret = generateWebhookSecret();
    subscription.secrets = [
      {
        ciphertext: await deps.cipher.encrypt(secret, webhookSecretContext(subscription)),
        createdAt: now.getTime(),
      },
    ];
  }
  if (!(await deps.subscriptions.create(subscription))) {
    throw new DomainError('conflict', 'The subscription id was taken concurrently; retry.');
  }
  return { subscription, ...(secret ? { secret } : {}) };
}

/** A webhook URL as a subscription may hold it: HTTPS (HTTP to loopback only), no fragment, and allowed by the egress policy. */
export async function checkWebhookUrl(egress: EgressGuard, url: string | undefined): Promise<void> {
  if (url === undefined) return invalid('/url', 'is required for a webhook subscription');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return invalid('/url', 'is not a valid URL');
  }
  if (parsed.protocol === 'http:' && !LOOPBACK_HOSTS.has(parsed.hostname)) invalid('/url', 'must use https');
  if (parsed.hash !== '') invalid('/url', 'may not carry a fragment');
  const decision = await egress.check(parsed);
  if (!decision.allowed) invalid('/url', decision.reason);
}

/** The secrets a delivery is signed with now: every version not yet expired, decrypted. */
export const liveWebhookSecrets =
  (cipher: SecretCipher, clock: () => number = Date.now) =>
  (subscription: Subscription): Promise<string[]> =>
    Promise.all(
      subscription.secrets
        .filter((version) => version.expiresAt === undefined || version.expiresAt > clock())
        .map((version) => cipher.decrypt(version.ciphertext, webhookSecretContext(subscription))),
    );
