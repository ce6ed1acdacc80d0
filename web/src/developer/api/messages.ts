import { appFetch } from './app-session.ts';
import type { Page } from './my-apps.ts';

/** A topic as `GET /v1/topics` publishes it (shared/messages/topic.ts). */
export interface Topic {
  name: string;
  description: string;
  /** The scope an app must hold to subscribe. */
  scope: string;
  payloadSchema: Record<string, unknown>;
  example: unknown;
  retentionDays: number;
}

export type SubscriptionState = 'active' | 'paused' | 'disabled';

/** A subscription as its app sees it (shared/messages/subscription-actions.ts `subscriptionView`). */
export interface Subscription {
  subscriptionId: string;
  topic: string;
  mode: 'webhook' | 'websocket' | 'pull';
  url?: string;
  description?: string;
  filter?: Record<string, unknown>;
  state: SubscriptionState;
  /** Since when every attempt failed. */
  failingSince?: string;
  signingSecrets: { createdAt: string; expiresAt?: string }[];
  createdAt: string;
}

/** The answer of a new subscription or a secret rotation: the signing secret, shown once. */
export interface SubscriptionWithSecret extends Subscription {
  secret?: string;
  previousSecretExpiresAt?: string;
}

export interface NewWebhookSubscription {
  topic: string;
  url: string;
  description?: string;
}

export type DeliveryStatus = 'Queued' | 'Paused' | 'Sent' | 'Failed';

export interface Delivery {
  deliveryId: string;
  messageId: string;
  subscriptionId: string;
  topic: string;
  status: DeliveryStatus;
  /** How many attempts were made, over every round. */
  attempts: number;
  nextAttemptAt?: string;
  lastError?: string;
  createdAt: string;
  updatedAt: string;
  sentAt?: string;
  failedAt?: string;
}

/** One attempt at sending a delivery. */
export interface Attempt {
  attempt: number;
  at: string;
  latencyMs: number;
  /** The receiver's HTTP status, when it answered. */
  status?: number;
  errorClass?: string;
  responseExcerpt?: string;
}

export interface DeliveryWithAttempts extends Delivery {
  attemptLog: Attempt[];
}

const subscriptionPath = (id: string) => `/v1/subscriptions/${encodeURIComponent(id)}`;
const deliveryPath = (id: string) => `/v1/deliveries/${encodeURIComponent(id)}`;

export const listTopics = (appId: string): Promise<Topic[]> =>
  appFetch<{ items: Topic[] }>(appId, '/v1/topics').then((answer) => answer.items);

export function listSubscriptions(appId: string, cursor?: string): Promise<Page<Subscription>> {
  const query = new URLSearchParams({ limit: '100', ...(cursor ? { cursor } : {}) });
  return appFetch<Page<Subscription>>(appId, `/v1/subscriptions?${query}`);
}

export const createWebhookSubscription = (
  appId: string,
  subscription: NewWebhookSubscription,
): Promise<SubscriptionWithSecret> =>
  appFetch<SubscriptionWithSecret>(appId, '/v1/subscriptions', {
    method: 'POST',
    json: { ...subscription, mode: 'webhook' },
  });

export const setSubscriptionState = (
  appId: string,
  subscriptionId: string,
  state: 'active' | 'paused',
): Promise<Subscription & { released: { moved: number; more: boolean } }> =>
  appFetch(appId, subscriptionPath(subscriptionId), { method: 'PATCH', json: { state } });

export const deleteSubscription = (appId: string, subscriptionId: string): Promise<void> =>
  appFetch<void>(appId, subscriptionPath(subscriptionId), { method: 'DELETE' });

export const rotateSubscriptionSecret = (
  appId: string,
  subscriptionId: string,
): Promise<SubscriptionWithSecret> =>
  appFetch<SubscriptionWithSecret>(appId, `${subscriptionPath(subscriptionId)}/rotate-secret`, {
    method: 'POST',
  });

/** Every delivery that failed since `since` gets a new round; `more` when another call is needed. */
export const recoverSubscription = (
  appId: string,
  subscriptionId: string,
  since: string,
): Promise<{ recovered: { moved: number; more: boolean } }> =>
  appFetch(appId, `${subscriptionPath(subscriptionId)}/recover`, { method: 'POST', json: { since } });

/** A message of the subscription's topic (its example) delivered to this subscription alone. */
export const sendTestMessage = (
  appId: string,
  subscriptionId: string,
): Promise<{ messageId: string; deliveryId: string }> =>
  appFetch(appId, `${subscriptionPath(subscriptionId)}/test`, { method: 'POST', json: {} });

export function listDeliveries(
  appId: string,
  subscriptionId: string,
  cursor?: string,
  limit = 20,
): Promise<Page<Delivery>> {
  const query = new URLSearchParams({ subscriptionId, limit: String(limit), ...(cursor ? { cursor } : {}) });
  return appFetch<Page<Delivery>>(appId, `/v1/deliveries?${query}`);
}

export const getDelivery = (appId: string, deliveryId: string): Promise<DeliveryWithAttempts> =>
  appFetch<DeliveryWithAttempts>(appId, deliveryPath(deliveryId));

export const replayDelivery = (appId: string, deliveryId: string): Promise<Delivery> =>
  appFetch<Delivery>(appId, `${deliveryPath(deliveryId)}/replay`, { method: 'POST' });
