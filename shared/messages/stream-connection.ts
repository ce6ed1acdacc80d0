import { DomainError } from '../kernel/errors.ts';
import { isSubscriptionId } from './ids.ts';
import type { DeliveryMode } from './subscription.ts';

/** API Gateway ends every WebSocket connection after 2 hours, whatever flows on it. */
export const MAX_CONNECTION_MS = 2 * 3_600_000;
/** API Gateway ends a WebSocket connection on which the client sent nothing for 10 minutes. */
export const IDLE_CONNECTION_MS = 10 * 60_000;
/** Subscriptions one connection may receive; an app with more picks one per connection. */
export const MAX_STREAM_SUBSCRIPTIONS = 50;

/**
 * One open WebSocket connection of the message stream: which app opened it and which of its websocket
 * subscriptions it receives. Recorded at `$connect`, removed at `$disconnect` or when a push finds it
 * gone; it expires when API Gateway would have closed it anyway.
 */
export interface StreamConnection {
  connectionId: string;
  appId: string;
  subscriptionIds: string[];
  connectedAt: number;
  /** When API Gateway closes it at the latest (epoch ms); the record expires then too. */
  expiresAt: number;
}

/** What the push side reads of a subscription's connections. */
export type StreamListener = Pick<StreamConnection, 'connectionId' | 'connectedAt' | 'expiresAt'>;

export const isLive = (connection: Pick<StreamConnection, 'expiresAt'>, at: number): boolean =>
  connection.expiresAt > at;

export function newConnection(
  connectionId: string,
  appId: string,
  subscriptionIds: readonly string[],
  at: number,
): StreamConnection {
  return {
    connectionId,
    appId,
    subscriptionIds: [...subscriptionIds],
    connectedAt: at,
    expiresAt: at + MAX_CONNECTION_MS,
  };
}

/**
 * The subscriptions a new connection receives: the one it asked for (`?subscription=sub_…`), which must
 * be one of the app's websocket subscriptions, or else every websocket subscription of the app, paused
 * ones included (a push waits while its subscription is paused; resuming it needs no reconnect).
 */
export function streamedSubscriptions(
  appId: string,
  owned: readonly { subscriptionId: string; appId: string; mode: DeliveryMode }[],
  requested?: string,
): string[] {
  if (requested !== undefined) {
    const subscription = isSubscriptionId(requested)
      ? owned.find((s) => s.subscriptionId === requested && s.appId === appId)
      : undefined;
    if (!subscription) throw new DomainError('not-found', 'No subscription of this app has this id.');
    if (subscription.mode !== 'websocket') {
      throw new DomainError(
        'conflict',
        `The subscription is delivered by ${subscription.mode}; only websocket subscriptions stream.`,
      );
    }
    return [subscription.subscriptionId];
  }
  const streamed = owned
    .filter((s) => s.appId === appId && s.mode === 'websocket')
    .map((s) => s.subscriptionId);
  if (streamed.length === 0) {
    throw new DomainError('conflict', 'The app has no websocket subscription: create one first.');
  }
  if (streamed.length > MAX_STREAM_SUBSCRIPTIONS) {
    throw new DomainError(
      'conflict',
      `The app has more than ${MAX_STREAM_SUBSCRIPTIONS} websocket subscriptions: connect with ?subscription=<id>.`,
    );
  }
  return streamed;
}
