import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { outcomeOfStatus, retryAfterSeconds } from './attempt-outcome.ts';
import {
  DEFAULT_RETRY_SCHEDULE,
  nextAttemptAt,
  PLATFORM_RETRY_BOUNDS,
  validateRetrySchedule,
} from './retry-schedule.ts';

describe('retry schedules', () => {
  it('default to 8 attempts over about 27 hours', () => {
    expect(DEFAULT_RETRY_SCHEDULE).toHaveLength(8);
    const hours = DEFAULT_RETRY_SCHEDULE.reduce((a, b) => a + b, 0) / 3600;
    expect(hours).toBeGreaterThan(27);
    expect(hours).toBeLessThan(28);
    expect(validateRetrySchedule(DEFAULT_RETRY_SCHEDULE)).toEqual(DEFAULT_RETRY_SCHEDULE);
  });

  it('accept a subscription’s own schedule within the platform bounds, and refuse anything else', () => {
    expect(validateRetrySchedule([0, 1, 2])).toEqual([0, 1, 2]);
    for (const bad of [
      [],
      [-1],
      [1.5],
      ['5'],
      [86_401],
      Array(13).fill(1),
      [86_400, 86_400, 86_400, 1],
      'x',
    ]) {
      expect(() => validateRetrySchedule(bad), JSON.stringify(bad)).toThrow(
        expect.objectContaining({ code: 'validation-failed' }),
      );
    }
  });

  it('never schedule an attempt earlier than its delay, nor past the schedule', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: PLATFORM_RETRY_BOUNDS.maxDelaySeconds }), {
          minLength: 1,
          maxLength: 12,
        }),
        fc.nat(20),
        fc.option(fc.integer({ min: -5, max: 100_000 }), { nil: undefined }),
        (schedule, made, retryAfter) => {
          const at = nextAttemptAt(schedule, made, 0, retryAfter);
          if (made >= schedule.length) expect(at).toBeUndefined();
          else {
            expect(at!).toBeGreaterThanOrEqual(schedule[made]! * 1000);
            expect(at!).toBeLessThanOrEqual(Math.max(schedule[made]!, 3600) * 1000);
          }
        },
      ),
    );
  });
});

describe('attempt outcomes', () => {
  it('count 2xx as delivered and everything else as a failure of its class', () => {
    expect(outcomeOfStatus(200)).toEqual({ kind: 'delivered', status: 200 });
    expect(outcomeOfStatus(299).kind).toBe('delivered');
    expect(outcomeOfStatus(302)).toMatchObject({ kind: 'failed', errorClass: 'redirect' });
    expect(outcomeOfStatus(404)).toMatchObject({ errorClass: 'client-error' });
    expect(outcomeOfStatus(410)).toMatchObject({ errorClass: 'gone' });
    expect(outcomeOfStatus(429, '30')).toMatchObject({ errorClass: 'throttled', retryAfterSeconds: 30 });
    expect(outcomeOfStatus(503)).toEqual({ kind: 'failed', errorClass: 'throttled', status: 503 });
    expect(outcomeOfStatus(500)).toMatchObject({ errorClass: 'server-error' });
    expect(outcomeOfStatus(100)).toMatchObject({ errorClass: 'server-error' });
  });

  it('read Retry-After as delay-seconds only', () => {
    expect(retryAfterSeconds('120')).toBe(120);
    expect(retryAfterSeconds(' 7 ')).toBe(7);
    for (const v of [undefined, '', '-1', '1.5', 'Wed, 21 Oct 2015 07:28:00 GMT', '9999999999']) {
      expect(retryAfterSeconds(v), String(v)).toBeUndefined();
    }
  });
});
