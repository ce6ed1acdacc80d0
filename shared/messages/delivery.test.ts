import { describe, expect, it } from 'vitest';
import { outcomeOfStatus } from './attempt-outcome.ts';
import { afterAttempt, hold, newDelivery, release, replay } from './delivery.ts';
import { DEFAULT_RETRY_SCHEDULE } from './retry-schedule.ts';

const T0 = 1_796_000_000_000;
const message = { messageId: 'msg_in_1', topic: 'orders.created' };
const active = { subscriptionId: 'sub_1', appId: 'app_1', state: 'active' as const };

describe('delivery transitions', () => {
  it('starts Queued and due at once, or Paused for a paused subscription', () => {
    expect(newDelivery(message, active, T0)).toMatchObject({ status: 'Queued', dueAt: T0, attempts: 0 });
    const held = newDelivery(message, { ...active, state: 'paused' }, T0);
    expect(held.status).toBe('Paused');
    expect(held.dueAt).toBeUndefined();
  });

  it('follows the Svix schedule on failures, then fails and asks for the dead letter', () => {
    let d = newDelivery(message, active, T0);
    const dueTimes: number[] = [];
    for (let i = 0; i < DEFAULT_RETRY_SCHEDULE.length; i++) {
      const t = afterAttempt(d, outcomeOfStatus(500), d.dueAt!, DEFAULT_RETRY_SCHEDULE);
      d = t.delivery;
      if (d.status === 'Queued') dueTimes.push(d.dueAt!);
      else expect(t.effects).toEqual([{ kind: 'exhausted' }]);
    }
    expect(d).toMatchObject({ status: 'Failed', attempts: 8, lastError: 'server-error' });
    // Waits after each failure: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h.
    const waits = dueTimes.map((due, i) => (due - (i === 0 ? T0 : dueTimes[i - 1]!)) / 1000);
    expect(waits).toEqual([5, 300, 1_800, 7_200, 18_000, 36_000, 36_000]);
  });

  it('honours Retry-After when it asks for longer, capped at an hour', () => {
    const d = newDelivery(message, active, T0);
    expect(afterAttempt(d, outcomeOfStatus(429, '120'), T0, DEFAULT_RETRY_SCHEDULE).delivery.dueAt).toBe(
      T0 + 120_000,
    );
    expect(afterAttempt(d, outcomeOfStatus(503, '99999'), T0, DEFAULT_RETRY_SCHEDULE).delivery.dueAt).toBe(
      T0 + 3_600_000,
    );
    expect(afterAttempt(d, outcomeOfStatus(503, '1'), T0, DEFAULT_RETRY_SCHEDULE).delivery.dueAt).toBe(
      T0 + 5_000,
    );
  });

  it('treats a redirect as a failure and 410 as the end of the subscription', () => {
    const d = newDelivery(message, active, T0);
    expect(afterAttempt(d, outcomeOfStatus(301), T0, DEFAULT_RETRY_SCHEDULE).delivery).toMatchObject({
      status: 'Queued',
      lastError: 'redirect',
    });
    const gone = afterAttempt(d, outcomeOfStatus(410), T0, DEFAULT_RETRY_SCHEDULE);
    expect(gone.delivery.status).toBe('Failed');
    expect(gone.effects).toEqual([{ kind: 'disable-subscription', reason: 'gone' }, { kind: 'exhausted' }]);
  });

  it('reports a recovery when a delivery succeeds after failing', () => {
    const failed = afterAttempt(
      newDelivery(message, active, T0),
      outcomeOfStatus(502),
      T0,
      DEFAULT_RETRY_SCHEDULE,
    );
    const ok = afterAttempt(failed.delivery, outcomeOfStatus(204), T0 + 5_000, DEFAULT_RETRY_SCHEDULE);
    expect(ok.delivery).toMatchObject({ status: 'Sent', attempts: 2, sentAt: T0 + 5_000 });
    expect(ok.effects).toEqual([{ kind: 'recovered' }]);
  });

  it('holds and releases queued deliveries, and replays finished ones as a new round', () => {
    const d = newDelivery(message, active, T0);
    const held = hold(d, T0 + 1);
    expect(held.status).toBe('Paused');
    expect(release(held, T0 + 2)).toMatchObject({ status: 'Queued', dueAt: T0 + 2 });
    const sent = afterAttempt(d, outcomeOfStatus(200), T0, DEFAULT_RETRY_SCHEDULE).delivery;
    expect(hold(sent, T0 + 1)).toBe(sent);
    const again = replay(sent, T0 + 10);
    expect(again).toMatchObject({ status: 'Queued', roundAttempts: 0, attempts: 1, dueAt: T0 + 10 });
    expect(again.sentAt).toBeUndefined();
    expect(again.deliveryId).toBe(d.deliveryId);
  });
});
