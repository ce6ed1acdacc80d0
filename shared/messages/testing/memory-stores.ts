import { InvalidCursorError, type Page, type PageRequest } from '../../kernel/page.ts';
import { RevisionConflictError } from '../../kernel/revision.ts';
import { type AttemptRecord, type Delivery, type DeliveryStatus, queuedOrderTime } from '../delivery.ts';
import type { Message } from '../message.ts';
import type {
  ConnectionStore,
  DeliveryQuery,
  DeliveryStore,
  MessageStore,
  Subscription,
  SubscriptionStore,
  TopicStore,
} from '../ports.ts';
import { isLive, type StreamConnection } from '../stream-connection.ts';
import type { StoredTopic, Topic } from '../topic.ts';

/** A page of copies: the cursor names its listing and the offset of the next item. */
function paged<T>(listing: string, all: readonly T[], { limit, cursor }: PageRequest): Page<T> {
  let start = 0;
  if (cursor !== undefined) {
    const [of, offset] = cursor.split('@');
    start = Number(offset);
    if (of !== listing || !Number.isInteger(start) || start < 0)
      throw new InvalidCursorError('not this listing');
  }
  const items = all.slice(start, start + limit).map((item) => structuredClone(item));
  return { items, ...(start + limit < all.length ? { next: `${listing}@${start + limit}` } : {}) };
}

/** Deliveries in memory with the version check the DynamoDB adapter makes; copies in and out. */
export class MemoryDeliveryStore implements DeliveryStore {
  readonly deliveries = new Map<string, Delivery>();
  readonly log = new Map<string, AttemptRecord>();

  async get(deliveryId: string) {
    return structuredClone(this.deliveries.get(deliveryId));
  }
  async save(delivery: Delivery, expectedVersion: number) {
    const current = this.deliveries.get(delivery.deliveryId);
    if ((current?.version ?? 0) !== expectedVersion) return false;
    this.deliveries.set(delivery.deliveryId, structuredClone(delivery));
    return true;
  }
  async appendAttempt(record: AttemptRecord) {
    const order = `${String(record.attempt).padStart(6, '0')}#${String(record.at).padStart(15, '0')}`;
    this.log.set(`${record.deliveryId}#${order}`, structuredClone(record));
  }
  async listByApp(appId: string, query: DeliveryQuery, page: PageRequest) {
    const matching = [...this.deliveries.values()]
      .filter(
        (d) =>
          d.appId === appId &&
          (query.topic === undefined || d.topic === query.topic) &&
          (query.status === undefined || d.status === query.status) &&
          (query.subscriptionId === undefined || d.subscriptionId === query.subscriptionId) &&
          d.createdAt >= (query.since ?? 0) &&
          d.createdAt <= (query.until ?? Number.MAX_SAFE_INTEGER),
      )
      .sort((a, b) => b.createdAt - a.createdAt || (a.deliveryId < b.deliveryId ? 1 : -1));
    return paged(`app:${appId}`, matching, page);
  }
  async listBySubscription(
    subscriptionId: string,
    status: DeliveryStatus,
    range: { from?: number; to?: number },
    page: PageRequest,
  ) {
    const time = (d: Delivery) => queuedOrderTime(d);
    const matching = [...this.deliveries.values()]
      .filter(
        (d) =>
          d.subscriptionId === subscriptionId &&
          d.status === status &&
          time(d) >= (range.from ?? 0) &&
          time(d) <= (range.to ?? Number.MAX_SAFE_INTEGER),
      )
      .sort((a, b) => time(a) - time(b) || (a.deliveryId < b.deliveryId ? -1 : 1));
    return paged(`sub:${subscriptionId}:${status}`, matching, page);
  }
  async attempts(deliveryId: string) {
    return [...this.log.entries()]
      .filter(([key]) => key.startsWith(`${deliveryId}#`))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([, record]) => structuredClone(record));
  }
}

export class MemorySubscriptionStore implements SubscriptionStore {
  readonly subscriptions = new Map<string, Subscription>();

  async create(subscription: Subscription) {
    if (this.subscriptions.has(subscription.subscriptionId)) return false;
    this.subscriptions.set(subscription.subscriptionId, structuredClone(subscription));
    return true;
  }
  async get(subscriptionId: string) {
    return structuredClone(this.subscriptions.get(subscriptionId));
  }
  async listByTopic(topic: string) {
    return [...this.subscriptions.values()]
      .filter((s) => s.topic === topic)
      .map(({ subscriptionId, appId, filter, state, mode, ordered }) => ({
        subscriptionId,
        appId,
        topic,
        state,
        mode,
        ...(ordered ? { ordered } : {}),
        ...(filter ? { filter: structuredClone(filter) } : {}),
      }));
  }
  async save(subscription: Subscription, expectedVersion: number) {
    if (this.subscriptions.get(subscription.subscriptionId)?.version !== expectedVersion) return false;
    this.subscriptions.set(subscription.subscriptionId, structuredClone(subscription));
    return true;
  }
  saveHealth(subscription: Subscription, expectedVersion: number) {
    return this.save(subscription, expectedVersion);
  }
  async delete(subscription: Subscription, expectedVersion: number) {
    if (this.subscriptions.get(subscription.subscriptionId)?.version !== expectedVersion) return false;
    return this.subscriptions.delete(subscription.subscriptionId);
  }
  async listByApp(appId: string, page: PageRequest) {
    const mine = [...this.subscriptions.values()]
      .filter((s) => s.appId === appId)
      .sort((a, b) => a.createdAt - b.createdAt || (a.subscriptionId < b.subscriptionId ? -1 : 1));
    return paged(`subs:${appId}`, mine, page);
  }
}

export class MemoryMessageStore implements MessageStore {
  readonly messages = new Map<string, Message>();

  async saveOnce(message: Message) {
    if (this.messages.has(message.messageId)) return 'duplicate' as const;
    this.messages.set(message.messageId, structuredClone(message));
    return 'stored' as const;
  }
  async get(messageId: string) {
    return structuredClone(this.messages.get(messageId));
  }
}

export class MemoryTopicStore implements TopicStore {
  readonly topics = new Map<string, StoredTopic>();

  async get(name: string) {
    return structuredClone(this.topics.get(name));
  }
  async list() {
    return [...this.topics.values()]
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((t) => structuredClone(t));
  }
  async put(topic: Topic, expectedRevision?: number) {
    const seen = this.topics.get(topic.name)?.revision ?? 0;
    if (expectedRevision !== undefined && seen !== expectedRevision) {
      throw new RevisionConflictError(`revision is ${seen}, not ${expectedRevision}`);
    }
    const next: StoredTopic = {
      ...structuredClone(topic),
      revision: seen + 1,
      updatedAt: new Date().toISOString(),
    };
    this.topics.set(topic.name, next);
    return structuredClone(next);
  }
  async delete(name: string) {
    return this.topics.delete(name);
  }
}

/** Stream connections in memory, with their listening records kept apart as the table keeps them. */
export class MemoryConnectionStore implements ConnectionStore {
  readonly connections = new Map<string, StreamConnection>();
  /** subscriptionId → connectionId → the connection's listening record. */
  readonly listening = new Map<string, Map<string, StreamConnection>>();

  async put(connection: StreamConnection) {
    this.connections.set(connection.connectionId, structuredClone(connection));
    for (const id of connection.subscriptionIds) {
      const of = this.listening.get(id) ?? new Map<string, StreamConnection>();
      of.set(connection.connectionId, structuredClone(connection));
      this.listening.set(id, of);
    }
  }
  async get(connectionId: string, at: number) {
    const connection = this.connections.get(connectionId);
    return connection && isLive(connection, at) ? structuredClone(connection) : undefined;
  }
  async remove(connectionId: string, subscriptionIds: readonly string[] = []) {
    const known = this.connections.get(connectionId)?.subscriptionIds ?? [];
    for (const id of new Set([...known, ...subscriptionIds])) this.listening.get(id)?.delete(connectionId);
    this.connections.delete(connectionId);
  }
  async listeners(subscriptionId: string, at: number) {
    return [...(this.listening.get(subscriptionId)?.values() ?? [])]
      .filter((c) => isLive(c, at))
      .sort((a, b) => a.connectedAt - b.connectedAt || (a.connectionId < b.connectionId ? -1 : 1))
      .map(({ connectionId, connectedAt, expiresAt }) => ({ connectionId, connectedAt, expiresAt }));
  }
}
