import { createHash } from 'node:crypto';
import type { AttemptErrorClass, AttemptOutcome } from './attempt-outcome.ts';
import { nextAttemptAt } from './retry-schedule.ts';

/**
 * One message on its way to one subscription (message × subscription), and the rules of its life:
 *
 *   Queued ──attempt ok──────────────────────────► Sent
 *     │ └─attempt failed, schedule not spent──► Queued (next attempt later)
 *     ├─attempt failed, schedule spent, or 410──► Failed (dead-lettered, an event says so)
 *     └─subscription paused or disabled──► Paused ──resumed──► Queued
 *   Failed / Sent ──replay or recover──► Queued (a new round of the schedule)
 *
 * Nothing here deletes a delivery: every message stays accounted for as Queued, Paused, Sent or
 * Failed. Transitions are pure (time passed in); the store applies them with a version check, so two
 * workers racing on one delivery cannot both win.
 */
export type DeliveryStatus = 'Queued' | 'Paused' | 'Sent' | 'Failed';

export interface Delivery {
  /** Stable for the delivery's whole life, retries and replays included: the `webhook-id`. */
  deliveryId: string;
  messageId: string;
  subscriptionId: string;
  appId: string;
  topic: string;
  status: DeliveryStatus;
  /** Attempts made, over every round. */
  attempts: number;
  /** Attempts made in the current round (the position in the retry schedule). */
  roundAttempts: number;
  /** While Queued: when the next attempt is due (epoch ms). */
  dueAt?: number;
  /** Its subscription delivers in order: one at a time, oldest first (see `ordered-delivery.ts`). */
  ordered?: true;
  lastError?: AttemptErrorClass;
  createdAt: number;
  updatedAt: number;
  sentAt?: number;
  failedAt?: number;
  /** Grows with every transition; the store writes only over the version it read. */
  version: number;
}

/** One attempt, appended to the delivery's log and never changed. */
export interface AttemptRecord {
  deliveryId: string;
  attempt: number;
  at: number;
  latencyMs: number;
  status?: number;
  errorClass?: AttemptErrorClass;
  /** The first 1 KiB of the answer, for the developer's eyes. */
  responseExcerpt?: string;
}

export const RESPONSE_EXCERPT_BYTES = 1024;

/** What a transition asks the world to do besides storing the delivery. */
export type DeliveryEffect =
  | { kind: 'exhausted' }
  | { kind: 'recovered' }
  | { kind: 'disable-subscription'; reason: 'gone' };

export interface Transition {
  delivery: Delivery;
  effects: DeliveryEffect[];
}

/**
 * The delivery id of (message, subscription): derived, not random, so a fan-out that runs twice (a
 * worker killed mid-way, a redelivered queue message) creates the same deliveries and stores each once.
 */
export function deliveryIdFor(messageId: string, subscriptionId: string): string {
  const digest = createHash('sha256').update(`${messageId}\n${subscriptionId}`).digest('base64url');
  return `msg_${digest.slice(0, 27)}`;
}

export function newDelivery(
  message: { messageId: string; topic: string },
  subscription: {
    subscriptionId: string;
    appId: string;
    state: 'active' | 'paused' | 'disabled';
    ordered?: boolean;
  },
  at: number,
): Delivery {
  const held = subscription.state !== 'active';
  return {
    ...(subscription.ordered ? { ordered: true as const } : {}),
    deliveryId: deliveryIdFor(message.messageId, subscription.subscriptionId),
    messageId: message.messageId,
    subscriptionId: subscription.subscriptionId,
    appId: subscription.appId,
    topic: message.topic,
    status: held ? 'Paused' : 'Queued',
    attempts: 0,
    roundAttempts: 0,
    ...(held ? {} : { dueAt: at }),
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
}

const moved = (d: Delivery, at: number, change: Partial<Delivery>): Delivery => {
  const next: Delivery = { ...d, ...change, updatedAt: at, version: d.version + 1 };
  if (next.status !== 'Queued') delete next.dueAt;
  return next;
};

/**
 * The delivery after an attempt made at `at`. An attempt on a delivery that is no longer Queued (a
 * slow worker after a replay or a pause) changes nothing: its outcome is only logged.
 */
export function afterAttempt(
  d: Delivery,
  outcome: AttemptOutcome,
  at: number,
  schedule: readonly number[],
): Transition {
  if (d.status !== 'Queued') return { delivery: d, effects: [] };
  const attempts = d.attempts + 1;
  const roundAttempts = d.roundAttempts + 1;
  if (outcome.kind === 'delivered') {
    const recovered = d.roundAttempts > 0 && d.lastError !== undefined;
    return {
      delivery: moved(d, at, { status: 'Sent', attempts, roundAttempts, sentAt: at }),
      effects: recovered ? [{ kind: 'recovered' }] : [],
    };
  }
  const lastError = outcome.errorClass;
  if (lastError === 'gone') {
    return {
      delivery: moved(d, at, { status: 'Failed', attempts, roundAttempts, lastError, failedAt: at }),
      effects: [{ kind: 'disable-subscription', reason: 'gone' }, { kind: 'exhausted' }],
    };
  }
  const due = nextAttemptAt(schedule, roundAttempts, at, outcome.retryAfterSeconds);
  if (due === undefined) {
    return {
      delivery: moved(d, at, { status: 'Failed', attempts, roundAttempts, lastError, failedAt: at }),
      effects: [{ kind: 'exhausted' }],
    };
  }
  return { delivery: moved(d, at, { attempts, roundAttempts, lastError, dueAt: due }), effects: [] };
}

/** A paused or disabled subscription holds its Queued deliveries; nothing is dropped. */
export function hold(d: Delivery, at: number): Delivery {
  return d.status === 'Queued' ? moved(d, at, { status: 'Paused' }) : d;
}

/** Held deliveries go back in line when their subscription resumes, due at once. */
export function release(d: Delivery, at: number): Delivery {
  return d.status === 'Paused' ? moved(d, at, { status: 'Queued', dueAt: at }) : d;
}

/** Replay (one delivery) or recover (failed ones): a new round of the schedule, same delivery id. */
export function replay(d: Delivery, at: number): Delivery {
  if (d.status !== 'Sent' && d.status !== 'Failed') return d;
  const { sentAt: _s, failedAt: _f, ...rest } = d;
  return moved(rest, at, { status: 'Queued', roundAttempts: 0, dueAt: at });
}

/**
 * The platform gave up on a delivery it could not process (its queue message dead-lettered for longer
 * than any schedule lasts): it is Failed, visible and recoverable, never silently stuck in Queued.
 */
export function deadLetter(d: Delivery, at: number): Transition {
  if (d.status !== 'Queued' && d.status !== 'Paused') return { delivery: d, effects: [] };
  return {
    delivery: moved(d, at, { status: 'Failed', lastError: 'undeliverable', failedAt: at }),
    effects: [{ kind: 'exhausted' }],
  };
}

/**
 * A pull (or a push awaiting its acknowledgement) takes a due Queued delivery for `leaseMs`: it counts
 * as an attempt, and the delivery comes due again when the lease ends unless it is acknowledged first.
 */
export function lease(d: Delivery, at: number, leaseMs: number): Delivery {
  if (d.status !== 'Queued' || (d.dueAt ?? 0) > at) return d;
  return moved(d, at, { attempts: d.attempts + 1, roundAttempts: d.roundAttempts + 1, dueAt: at + leaseMs });
}

/**
 * A webhook worker takes a due Queued delivery before sending it: due again only when `leaseMs` ends,
 * so a second queue message for it finds it not due instead of sending it at the same time. No attempt
 * is counted (the attempt's outcome counts it); a worker that dies mid-send leaves it due at the lease's end.
 */
export function claim(d: Delivery, at: number, leaseMs: number): Delivery {
  if (d.status !== 'Queued' || (d.dueAt ?? 0) > at) return d;
  return moved(d, at, { dueAt: at + leaseMs });
}

/** The app acknowledged the delivery: it is Sent. Acknowledging a Sent one again changes nothing. */
export function acknowledge(d: Delivery, at: number): Delivery {
  if (d.status !== 'Queued') return d;
  const { lastError: _e, ...rest } = d;
  return moved(rest, at, { status: 'Sent', sentAt: at });
}

/**
 * Where a delivery sorts among its subscription's deliveries of the same status: Queued ones by when
 * they are due — or, in an ordered subscription, by when they were created (the head is the oldest) —
 * the others by when they last moved.
 */
export function queuedOrderTime(d: Delivery): number {
  if (d.status !== 'Queued') return d.updatedAt;
  return d.ordered ? d.createdAt : (d.dueAt ?? d.updatedAt);
}

/** Seed 000's message status (Queue | Sent | Fail), derived from its deliveries. */
export function messageStatus(statuses: readonly DeliveryStatus[]): 'Queued' | 'Sent' | 'Failed' {
  if (statuses.some((s) => s === 'Queued' || s === 'Paused')) return 'Queued';
  if (statuses.some((s) => s === 'Failed')) return 'Failed';
  return 'Sent';
}
