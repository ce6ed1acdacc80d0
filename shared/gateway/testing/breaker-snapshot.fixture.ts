import type { BreakerSnapshot } from '../circuit-breaker/breaker.ts';

/** A breaker snapshot at `version`, open from `at` for 5 s unless overridden: for state-store tests. */
export const breakerSnapshot = (
  version: number,
  at: number,
  overrides: Partial<BreakerSnapshot> = {},
): BreakerSnapshot => ({
  state: 'open',
  version,
  episode: `i:${version}`,
  openedAt: at,
  openUntil: at + 5_000,
  backoffLevel: 0,
  closedAt: 0,
  ...overrides,
});
