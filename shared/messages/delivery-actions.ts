import { DomainError } from '../kernel/errors.ts';
import { type Page, type PageRequest, paged } from '../kernel/page.ts';
import {
  type AttemptRecord,
  type Delivery,
  type DeliveryStatus,
  deliveryIdFor,
  messageStatus,
  replay,
} from './delivery.ts';
import { isDeliveryId, isMessageId } from './ids.ts';
import type { Message } from './message.ts';
import type {
  DeliveryQuery,
  DeliveryQueue,
  DeliveryStore,
  MessageStore,
  SubscriptionStore,
} from './ports.ts';
import type { Caller } from './subscription-actions.ts';
import { TOPIC_NAME_PATTERN } from './topic.ts';

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/** A delivery as its app sees it. */
export const deliveryView = (d: Delivery) => ({
  deliveryId: d.deliveryId,
  messageId: d.messageId,
  subscriptionId: d.subscriptionId,
  topic: d.topic,
  status: d.status,
  attempts: d.attempts,
  ...(d.dueAt !== undefined ? { nextAttemptAt: iso(d.dueAt) } : {}),
  ...(d.lastError ? { lastError: d.lastError } : {}),
  createdAt: iso(d.createdAt),
  updatedAt: iso(d.updatedAt),
  ...(d.sentAt !== undefined ? { sentAt: iso(d.sentAt) } : {}),
  ...(d.failedAt !== undefined ? { failedAt: iso(d.failedAt) } : {}),
});

export const attemptView = (a: AttemptRecord) => ({
  attempt: a.attempt,
  at: iso(a.at),
  latencyMs: a.latencyMs,
  ...(a.status !== undefined ? { status: a.status } : {}),
  ...(a.errorClass ? { errorClass: a.errorClass } : {}),
  ...(a.responseExcerpt !== undefined ? { responseExcerpt: a.responseExcerpt } : {}),
});

export const DELIVERY_QUERY_PARAMS = ['topic', 'status', 'subscriptionId', 'since', 'until'] as const;
const STATUSES: readonly DeliveryStatus[] = ['Queued', 'Paused', 'Sent', 'Failed'];
const topicPattern = new RegExp(TOPIC_NAME_PATTERN);

/** The filters of `/v1/deliveries` and `/v1/messages`, from their query parameters; a bad one is a 400. */
export function readDeliveryQuery(params: Map<string, string>): DeliveryQuery {
  const query: DeliveryQuery = {};
  const bad = (name: string, why: string): never => {
    throw new DomainError('bad-request', `${name} ${why}.`);
  };
  const topic = params.get('topic');
  if (topic !== undefined)
    query.topic = topicPattern.test(topic) ? topic : bad('topic', 'is not a topic name');
  const status = params.get('status');
  if (status !== undefined) {
    query.status = STATUSES.includes(status as DeliveryStatus)
      ? (status as DeliveryStatus)
      : bad('status', `must be one of ${STATUSES.join(', ')}`);
  }
  const subscriptionId = params.get('subscriptionId');
  if (subscriptionId !== undefined) {
    query.subscriptionId = /^sub_[A-Za-z0-9_-]{1,64}$/.test(subscriptionId)
      ? subscriptionId
      : bad('subscriptionId', 'is not a subscription id');
  }
  for (const bound of ['since', 'until'] as const) {
    const raw = params.get(bound);
    if (raw === undefined) continue;
    const at = /^\d{4}-\d{2}-\d{2}T/.test(raw) ? Date.parse(raw) : Number.NaN;
    query[bound] = Number.isNaN(at) ? bad(bound, 'must be an RFC 3339 date-time') : at;
  }
  if (query.since !== undefined && query.until !== undefined && query.since > query.until) {
    bad('since', 'must not be after until');
  }
  return query;
}

/**
 * What an app reads of its messages and deliveries, and how it replays one. Only its own: a delivery
 * or message of another app is answered as one that does not exist.
 */
export class DeliveryActions {
  constructor(
    private readonly deps: {
      deliveries: DeliveryStore;
      messages: Pick<MessageStore, 'get'>;
      subscriptions: Pick<SubscriptionStore, 'listByApp'>;
      queue: DeliveryQueue;
      clock: () => number;
    },
  ) {}

  list(caller: Caller, query: DeliveryQuery, page: PageRequest): Promise<Page<Delivery>> {
    return paged(() => this.deps.deliveries.listByApp(caller.appId, query, page));
  }

  async get(caller: Caller, deliveryId: string): Promise<{ delivery: Delivery; attempts: AttemptRecord[] }> {
    const delivery = isDeliveryId(deliveryId) ? await this.deps.deliveries.get(deliveryId) : undefined;
    if (!delivery || delivery.appId !== caller.appId) {
      throw new DomainError('not-found', 'No delivery of this app has this id.');
    }
    return { delivery, attempts: await this.deps.deliveries.attempts(deliveryId) };
  }

  /** Sends a Sent or Failed delivery again (a new round of its schedule, the same `webhook-id`). */
  async replay(caller: Caller, deliveryId: string): Promise<Delivery> {
    const { delivery } = await this.get(caller, deliveryId);
    const next = replay(delivery, this.deps.clock());
    if (next === delivery) {
      throw new DomainError(
        'conflict',
        `The delivery is ${delivery.status}: only Sent or Failed ones can be replayed.`,
      );
    }
    if (!(await this.deps.deliveries.save(next, delivery.version))) {
      throw new DomainError('conflict', 'The delivery moved meanwhile; read it again.');
    }
    await this.deps.queue.enqueue([{ deliveryId, subscriptionId: next.subscriptionId, dueAt: next.dueAt! }]);
    return next;
  }

  /**
   * The app's messages, newest first: its deliveries grouped by message, each message's status derived
   * from the app's deliveries of it (seed 000's Queued | Sent | Failed).
   */
  async listMessages(caller: Caller, query: DeliveryQuery, page: PageRequest) {
    const deliveries = await this.list(caller, query, page);
    const byMessage = new Map<string, Delivery[]>();
    for (const d of deliveries.items) byMessage.set(d.messageId, [...(byMessage.get(d.messageId) ?? []), d]);
    return {
      items: [...byMessage.entries()].map(([messageId, of]) => ({
        messageId,
        topic: of[0]!.topic,
        status: messageStatus(of.map((d) => d.status)),
        createdAt: iso(Math.min(...of.map((d) => d.createdAt))),
        deliveries: of.map((d) => ({
          deliveryId: d.deliveryId,
          subscriptionId: d.subscriptionId,
          status: d.status,
        })),
      })),
      ...(deliveries.next ? { next: deliveries.next } : {}),
    };
  }

  /** One message with its payload, if the app has a delivery of it (found by the derived delivery ids). */
  async getMessage(caller: Caller, messageId: string): Promise<{ message: Message; deliveries: Delivery[] }> {
    const message = isMessageId(messageId) ? await this.deps.messages.get(messageId) : undefined;
    const deliveries: Delivery[] = [];
    if (message?.status === 'Accepted') {
      let cursor: string | undefined;
      do {
        const page = await this.deps.subscriptions.listByApp(caller.appId, {
          limit: 100,
          ...(cursor ? { cursor } : {}),
        });
        for (const s of page.items.filter((s) => s.topic === message.topic)) {
          const d = await this.deps.deliveries.get(deliveryIdFor(messageId, s.subscriptionId));
          if (d?.appId === caller.appId) deliveries.push(d);
        }
        cursor = page.next;
      } while (cursor);
    }
    if (!message || deliveries.length === 0) {
      throw new DomainError('not-found', 'No message delivered to this app has this id.');
    }
    return { message, deliveries };
  }
}
