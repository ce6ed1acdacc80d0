import type { RateLimitPlan, RateLimitPolicy } from '../api/rate-limits.ts';

const COUNT = new Intl.NumberFormat('en-US');

const WINDOWS: Record<number, string> = { 1: 'a second', 60: 'a minute', 3600: 'an hour', 86400: 'a day' };

/** A window in words: "a minute", or "every 90 seconds" when it is no round unit. */
export const describeWindow = (seconds: number): string =>
  WINDOWS[seconds] ?? `every ${COUNT.format(seconds)} seconds`;

/** One limit in words: "600 calls a minute to each API", with its burst when one is set. */
export function describePolicy(policy: RateLimitPolicy, scope: 'app' | 'appApi'): string {
  const calls = `${COUNT.format(policy.limit)} ${policy.limit === 1 ? 'call' : 'calls'}`;
  const where = scope === 'appApi' ? 'to each API' : 'in all';
  const burst = policy.burst !== undefined ? `, bursts of up to ${COUNT.format(policy.burst)}` : '';
  return `${calls} ${describeWindow(policy.windowSeconds)} ${where}${burst}`;
}

/** Each limit of a plan in words, the limit on each API first; none for no plan. */
export function describePlanParts(plan: RateLimitPlan | undefined): string[] {
  if (!plan) return [];
  return [
    ...(plan.appApi ? [describePolicy(plan.appApi, 'appApi')] : []),
    ...(plan.app ? [describePolicy(plan.app, 'app')] : []),
  ];
}

/** A plan in words: "600 calls a minute to each API; 10 calls a second in all"; empty for no plan. */
export const describePlan = (plan: RateLimitPlan | undefined): string => describePlanParts(plan).join('; ');
