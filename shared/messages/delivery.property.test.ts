import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AttemptOutcome, outcomeOfStatus } from './attempt-outcome.ts';
import {
  afterAttempt,
  type Delivery,
  deliveryIdFor,
  hold,
  messageStatus,
  newDelivery,
  release,
  replay,
} from './delivery.ts';
import { DEFAULT_RETRY_SCHEDULE } from './retry-schedule.ts';

const T0 = 1_796_000_000_000;
const subscription = { subscriptionId: 'sub_1', appId: 'app_1', state: 'active' as const };
const message = { messageId: 'msg_in_1', topic: 'orders.created' };

const outcome: fc.Arbitrary<AttemptOutcome> = fc.oneof(
  fc.integer({ min: 200, max: 599 }).map((status) => outcomeOfStatus(status)),
  fc.constantFrom<AttemptOutcome>(
    { kind: 'failed', errorClass: 'timeout' },
    { kind: 'failed', errorClass: 'connection' },
    { kind: 'failed', errorClass: 'throttled', status: 429, retryAfterSeconds: 120 },
  ),
);

type Step = { op: 'attempt'; outcome: AttemptOutcome } | { op: 'hold' | 'release' | 'replay' };
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: outcome.map((o) => ({ op: 'attempt' as const, outcome: o })) },
  { weight: 1, arbitrary: fc.constantFrom<Step>({ op: 'hold' }, { op: 'release' }, { op: 'replay' }) },
);

describe('a delivery under any sequence of attempts, pauses and replays', () => {
  it('is always accounted for, keeps its id, and ends Sent only after a 2xx', () => {
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 40 }),
        fc.array(fc.nat(90_000), { maxLength: 40 }),
        (steps, gaps) => {
          let d: Delivery = newDelivery(message, subscription, T0);
          let at = T0;
          let delivered = 0;
          let exhausted = 0;
          steps.forEach((s, i) => {
            at += gaps[i] ?? 1_000;
            const before = d;
            if (s.op === 'attempt') {
              const t = afterAttempt(d, s.outcome, at, DEFAULT_RETRY_SCHEDULE);
              d = t.delivery;
              if (before.status !== 'Queued') expect(d).toBe(before); // late attempts change nothing
              if (before.status === 'Queued' && s.outcome.kind === 'delivered') delivered++;
              exhausted += t.effects.filter((e) => e.kind === 'exhausted').length;
              if (d.status === 'Queued') expect(d.dueAt!).toBeGreaterThanOrEqual(at);
            } else if (s.op === 'hold') d = hold(d, at);
            else if (s.op === 'release') d = release(d, at);
            else d = replay(d, at);
            expect(['Queued', 'Paused', 'Sent', 'Failed']).toContain(d.status);
            expect(d.deliveryId).toBe(deliveryIdFor(message.messageId, subscription.subscriptionId));
            expect(d.version).toBeGreaterThanOrEqual(before.version);
            expect(d.roundAttempts).toBeLessThanOrEqual(DEFAULT_RETRY_SCHEDULE.length);
            expect(d.dueAt !== undefined).toBe(d.status === 'Queued');
            if (d.status === 'Sent') expect(delivered).toBeGreaterThan(0);
            if (d.status === 'Failed') expect(exhausted).toBeGreaterThan(0);
          });
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('fails only once the whole schedule is spent, unless the endpoint says it is gone', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 300, max: 599 }), { minLength: 1, maxLength: 20 }),
        (statuses) => {
          let d = newDelivery(message, subscription, T0);
          let at = T0;
          for (const status of statuses) {
            if (d.status !== 'Queued') break;
            at = d.dueAt!;
            d = afterAttempt(d, outcomeOfStatus(status), at, DEFAULT_RETRY_SCHEDULE).delivery;
            if (d.status === 'Failed' && status !== 410)
              expect(d.roundAttempts).toBe(DEFAULT_RETRY_SCHEDULE.length);
          }
        },
      ),
      { numRuns: 1_000 },
    );
  });
});

describe('delivery ids', () => {
  it('are the same for the same message and subscription, and differ otherwise', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (m, s, other) => {
        expect(deliveryIdFor(m, s)).toBe(deliveryIdFor(m, s));
        expect(deliveryIdFor(m, s)).toMatch(/^msg_[A-Za-z0-9_-]{27}$/);
        if (other !== s) expect(deliveryIdFor(m, other)).not.toBe(deliveryIdFor(m, s));
      }),
    );
  });
});

describe('message status', () => {
  it('is Queued while any delivery is pending, else Failed if any failed, else Sent', () => {
    expect(messageStatus(['Sent', 'Queued'])).toBe('Queued');
    expect(messageStatus(['Sent', 'Paused', 'Failed'])).toBe('Queued');
    expect(messageStatus(['Sent', 'Failed'])).toBe('Failed');
    expect(messageStatus(['Sent', 'Sent'])).toBe('Sent');
  });
});
