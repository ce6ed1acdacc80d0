import type { RateLimitPolicy } from '../../kernel/rate-limit-policy.ts';
import { windowById } from './policy.ts';

/** How long a window's counter is kept after the window ends (seconds): room for clock skew. */
export const COUNTER_RETENTION_SECONDS = 300;

export const counterExpiry = (policy: RateLimitPolicy, windowId: number) =>
  Math.ceil(windowById(policy, windowId).endMs / 1000) + COUNTER_RETENTION_SECONDS;

/** What a lease of `want` gets when `used` units of `limit` are gone. */
export const grantable = (limit: number, used: number, want: number) =>
  Math.max(0, Math.min(Math.floor(want), limit - used));
