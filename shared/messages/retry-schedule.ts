import { DomainError } from '../kernel/errors.ts';

/**
 * When a webhook delivery is attempted again. The default is Svix's: immediately, then 5 s, 5 min,
 * 30 min, 2 h, 5 h, 10 h and 10 h after each failure (8 attempts over about 27 h). A subscription may
 * set its own schedule within the platform bounds; local tests use seconds.
 */
export const DEFAULT_RETRY_SCHEDULE: readonly number[] = [0, 5, 300, 1_800, 7_200, 18_000, 36_000, 36_000];

export interface RetryBounds {
  maxAttempts: number;
  /** Longest wait before one attempt. */
  maxDelaySeconds: number;
  /** Longest span from the first attempt to the last: payloads must outlive it (retention). */
  maxTotalSeconds: number;
}

export const PLATFORM_RETRY_BOUNDS: RetryBounds = {
  maxAttempts: 12,
  maxDelaySeconds: 86_400,
  maxTotalSeconds: 3 * 86_400,
};

/** Longest `Retry-After` a receiver may ask for before its answer counts as an ordinary failure delay. */
export const MAX_RETRY_AFTER_SECONDS = 3_600;

/**
 * A schedule as a subscription writes it: delays in whole seconds, the first (0 or more) before the
 * first attempt, each next one after the previous failure.
 */
export function validateRetrySchedule(
  schedule: unknown,
  bounds: RetryBounds = PLATFORM_RETRY_BOUNDS,
): readonly number[] {
  const refuse = (why: string): never => {
    throw new DomainError('validation-failed', `retrySchedule ${why}.`, {
      errors: [{ pointer: '/retrySchedule', message: why }],
    });
  };
  if (!Array.isArray(schedule) || schedule.length === 0)
    return refuse('must be a non-empty array of seconds');
  if (schedule.length > bounds.maxAttempts) return refuse(`may hold at most ${bounds.maxAttempts} attempts`);
  if (!schedule.every((d) => Number.isInteger(d) && d >= 0 && d <= bounds.maxDelaySeconds))
    return refuse(`delays must be whole seconds from 0 to ${bounds.maxDelaySeconds}`);
  const total = (schedule as number[]).reduce((sum, d) => sum + d, 0);
  if (total > bounds.maxTotalSeconds) return refuse(`may span at most ${bounds.maxTotalSeconds} seconds`);
  return schedule as number[];
}

/**
 * When attempt number `attemptsMade + 1` is due (epoch ms), or undefined when the schedule is spent.
 * A receiver's `Retry-After` (429, 503) postpones it, never brings it forward, and is capped.
 */
export function nextAttemptAt(
  schedule: readonly number[],
  attemptsMade: number,
  lastAttemptAtMs: number,
  retryAfterSeconds?: number,
): number | undefined {
  if (attemptsMade >= schedule.length) return undefined;
  const delay = schedule[attemptsMade]!;
  const asked = Math.min(Math.max(0, retryAfterSeconds ?? 0), MAX_RETRY_AFTER_SECONDS);
  return lastAttemptAtMs + Math.max(delay, asked) * 1000;
}
