import { createHash } from 'node:crypto';
import { type Delivery, lease } from './delivery.ts';
import type { Message } from './message.ts';
import { nextAttemptAt } from './retry-schedule.ts';

/** How long a pushed delivery waits for its `ack` before it counts as not received. */
export const ACK_TIMEOUT_MS = 30_000;

/**
 * What to do with a WebSocket delivery now. A push leases the delivery for the ack timeout (an attempt,
 * as a pull is); one not acknowledged by then is pushed again on the subscription's retry schedule,
 * counted from the end of its lease. Between pushes, and for good once the schedule is spent, it stays
 * Queued and due: `pull` can take it at any time. Nobody acknowledging is never a failure.
 */
export type PushDecision =
  /** No longer Queued: acknowledged (Sent), held (Paused) or failed for another reason. */
  | { kind: 'settled' }
  /** Leased (by a push awaiting its ack, or by a pull), or its next push is later: look again at `until`. */
  | { kind: 'wait'; until: number }
  /** Every push of the schedule went unacknowledged: left to `pull` (and to a later resume, never pushed). */
  | { kind: 'spent' }
  /** Push it now, as `delivery` (leased until the ack timeout). */
  | { kind: 'push'; delivery: Delivery };

export function pushDecision(
  delivery: Delivery,
  at: number,
  schedule: readonly number[],
  ackTimeoutMs: number = ACK_TIMEOUT_MS,
): PushDecision {
  if (delivery.status !== 'Queued') return { kind: 'settled' };
  const due = delivery.dueAt ?? at;
  if (due > at) return { kind: 'wait', until: due };
  if (delivery.roundAttempts > 0) {
    const next = nextAttemptAt(schedule, delivery.roundAttempts, due);
    if (next === undefined) return { kind: 'spent' };
    if (next > at) return { kind: 'wait', until: next };
  }
  return { kind: 'push', delivery: lease(delivery, at, ackTimeoutMs) };
}

/**
 * Takes a push back when no connection took it (every one was gone): the attempt is not counted and
 * the delivery is due again at once, as before the push.
 */
export function withdrawPush(pushed: Delivery, before: Delivery, at: number): Delivery {
  return {
    ...pushed,
    attempts: before.attempts,
    roundAttempts: before.roundAttempts,
    ...(before.dueAt !== undefined ? { dueAt: before.dueAt } : {}),
    updatedAt: at,
    version: pushed.version + 1,
  };
}

/** What a client receives for each delivery; it acknowledges `deliveryId` (the same on every push). */
export interface MessageFrame {
  type: 'message';
  deliveryId: string;
  subscriptionId: string;
  messageId: string;
  topic: string;
  publishedAt: string;
  payload: unknown;
  /** 1 for the first push; a pull counts as an attempt too. */
  attempt: number;
}

export function messageFrame(delivery: Delivery, message: Message): MessageFrame {
  return {
    type: 'message',
    deliveryId: delivery.deliveryId,
    subscriptionId: delivery.subscriptionId,
    messageId: message.messageId,
    topic: message.topic,
    publishedAt: message.publishedAt,
    payload: message.payload,
    attempt: delivery.attempts,
  };
}

/**
 * The order in which a subscription's connections are offered a delivery: each delivery starts at
 * another connection (derived from its id, so a retry starts where its first push did), which spreads
 * a subscription's deliveries over the clients connected to it.
 */
export function offerOrder<T>(deliveryId: string, connections: readonly T[]): T[] {
  if (connections.length < 2) return [...connections];
  const start = createHash('sha256').update(deliveryId).digest().readUInt32BE(0) % connections.length;
  return [...connections.slice(start), ...connections.slice(0, start)];
}
