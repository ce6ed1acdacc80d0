import type { Page, PageRequest } from '../kernel/page.ts';
import type { RateLimitPolicy } from '../kernel/rate-limit-policy.ts';
import type { AttemptErrorClass } from './attempt-outcome.ts';
import type { AttemptRecord, Delivery, DeliveryEffect, DeliveryStatus } from './delivery.ts';
import type { SubscriptionTarget } from './fan-out.ts';
import type { Message } from './message.ts';
import type { StreamConnection, StreamListener } from './stream-connection.ts';
import type {
  DeliveryMode,
  EndpointEffect,
  EndpointHealth,
  PayloadFilter,
  SubscriptionState,
} from './subscription.ts';
import type { StoredTopic, Topic } from './topic.ts';

/** A subscription as delivery needs it. */
export interface Subscription {
  subscriptionId: string;
  appId: string;
  topic: string;
  mode: DeliveryMode;
  /** Webhook mode: where deliveries are POSTed (checked by the egress policy on write and on send). */
  url?: string;
  description?: string;
  filter?: PayloadFilter;
  state: SubscriptionState;
  /** Delays of the retry schedule; the platform default when absent. */
  retrySchedule?: readonly number[];
  /** Webhook deliveries one at a time, oldest first, a failing one holding the rest back. */
  ordered?: boolean;
  /** At most `limit` webhook attempts per `windowSeconds`, across every worker; unlimited when absent. */
  rateLimit?: RateLimitPolicy;
  health: EndpointHealth;
  /** Webhook signing secrets, current first; the previous one until its `expiresAt` during a rotation. */
  secrets: WebhookSecretVersion[];
  version: number;
  createdAt: number;
}

/** One webhook secret as stored: its KMS ciphertext (context: `webhookSecretContext`), never the secret. */
export interface WebhookSecretVersion {
  ciphertext: string;
  createdAt: number;
  expiresAt?: number;
}

export interface TopicStore {
  get(name: string): Promise<StoredTopic | undefined>;
  /** Every topic, by name. */
  list(): Promise<StoredTopic[]>;
  /**
   * Stores the topic as its next revision. With `expectedRevision` (0: must not exist yet) it throws
   * RevisionConflictError unless the stored revision is that one; without, it still never loses a
   * concurrent write silently.
   */
  put(topic: Topic, expectedRevision?: number): Promise<StoredTopic>;
  delete(name: string): Promise<boolean>;
}

export interface MessageStore {
  /** Stores a message unless one with its id is stored already (which is then left as it is). */
  saveOnce(message: Message): Promise<'stored' | 'duplicate'>;
  get(messageId: string): Promise<Message | undefined>;
}

export interface SubscriptionStore {
  /** Stores a new subscription (its topic is fixed for its life); false when its id is taken. */
  create(subscription: Subscription): Promise<boolean>;
  get(subscriptionId: string): Promise<Subscription | undefined>;
  /** Stores the subscription (its topic unchanged) if it is still at `expectedVersion`. */
  save(subscription: Subscription, expectedVersion: number): Promise<boolean>;
  /**
   * `save` for a change of endpoint health only (state, mode, filter and ordering as stored): what
   * fan-out reads is left as it is, so one write does.
   */
  saveHealth?(subscription: Subscription, expectedVersion: number): Promise<boolean>;
  /** Removes the subscription (and what fan-out reads of it) if it is still at `expectedVersion`. */
  delete(subscription: Subscription, expectedVersion: number): Promise<boolean>;
  /** An app's subscriptions, oldest first. */
  listByApp(appId: string, page: PageRequest): Promise<Page<Subscription>>;
  /** What fan-out needs of every subscription of a topic, whatever its state. */
  listByTopic(topic: string): Promise<SubscriptionTarget[]>;
}

export interface DeliveryStore {
  get(deliveryId: string): Promise<Delivery | undefined>;
  /** Stores the delivery if the stored one is at `expectedVersion`: false when another worker moved it first. */
  save(delivery: Delivery, expectedVersion: number): Promise<boolean>;
  /** Appends to the delivery's attempt log; the same record written twice (same attempt and time) is stored once. */
  appendAttempt(record: AttemptRecord): Promise<void>;
  /** The delivery's attempts, oldest first. */
  attempts(deliveryId: string): Promise<AttemptRecord[]>;
  /** An app's deliveries, newest first, narrowed by `query`. */
  listByApp(appId: string, query: DeliveryQuery, page: PageRequest): Promise<Page<Delivery>>;
  /**
   * A subscription's deliveries in one status, oldest first by their time (when due while Queued, when
   * last moved otherwise), within `[from, to]`.
   */
  listBySubscription(
    subscriptionId: string,
    status: DeliveryStatus,
    range: { from?: number; to?: number },
    page: PageRequest,
  ): Promise<Page<Delivery>>;
}

/** What a developer narrows a delivery listing by; `since`/`until` bound the creation time (epoch ms). */
export interface DeliveryQuery {
  topic?: string;
  status?: DeliveryStatus;
  subscriptionId?: string;
  since?: number;
  until?: number;
}

/**
 * Where due deliveries wait for a worker: one message per delivery, grouped by subscription so a
 * noisy or dead endpoint cannot hold the others back (SQS fair queues). Delivery at least once.
 */
export interface DeliveryQueue {
  enqueue(items: readonly QueueItem[]): Promise<void>;
}

/** One due delivery as the queue carries it. */
export interface QueueItem {
  deliveryId: string;
  subscriptionId: string;
  dueAt: number;
}

/** The live `whsec_` secrets of a subscription (two during a rotation overlap). */
export type WebhookSecrets = (subscription: Subscription) => Promise<string[]>;

export interface WebhookAnswer {
  status: number;
  retryAfter?: string;
  /** The first bytes of the answer's body, as text. */
  excerpt: string;
  latencyMs: number;
}

/** A request that got no HTTP answer: why, for the attempt log and the retry decision. */
export class WebhookSendError extends Error {
  override name = 'WebhookSendError';
  constructor(
    readonly errorClass: Extract<AttemptErrorClass, 'timeout' | 'connection' | 'egress-refused'>,
    readonly latencyMs: number,
    detail: string,
  ) {
    super(detail);
  }
}

/** POSTs one signed delivery; throws WebhookSendError when no answer came. */
export type WebhookSender = (request: {
  url: string;
  headers: Record<string, string>;
  body: Buffer;
  timeoutMs: number;
}) => Promise<WebhookAnswer>;

/** Operational events an app can subscribe to, and that operators alarm on. */
export type DeliveryEvent =
  | { kind: Extract<DeliveryEffect['kind'], 'exhausted' | 'recovered'>; delivery: Delivery }
  | { kind: EndpointEffect | 'disable-gone'; subscription: Subscription };

export type DeliveryEvents = (event: DeliveryEvent) => Promise<void>;

/** The open WebSocket connections of the message stream, and who listens to which subscription. */
export interface ConnectionStore {
  /** Records the connection and, for each subscription it receives, that it listens to it. */
  put(connection: StreamConnection): Promise<void>;
  /** The connection, unless it is unknown or expired at `at`. */
  get(connectionId: string, at: number): Promise<StreamConnection | undefined>;
  /**
   * Forgets the connection and every listening record of it (those of `subscriptionIds` too, found
   * without the connection record); forgetting an unknown connection is harmless.
   */
  remove(connectionId: string, subscriptionIds?: readonly string[]): Promise<void>;
  /** The connections listening to a subscription and not expired at `at`, oldest first. */
  listeners(subscriptionId: string, at: number): Promise<StreamListener[]>;
}

/** Sends one text frame to a WebSocket connection (API Gateway's PostToConnection). */
export interface ConnectionPusher {
  /** `gone`: the connection is closed (410 GoneException); other failures throw. */
  push(connectionId: string, frame: string): Promise<'sent' | 'gone'>;
}
