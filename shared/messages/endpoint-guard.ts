import { BreakerRegistry } from '../gateway/circuit-breaker/registry.ts';
import type { BreakerSettings } from '../gateway/circuit-breaker/settings.ts';
import type { AttemptOutcome } from './attempt-outcome.ts';

export type Admission =
  | {
      admitted: true;
      /** The attempt was made: its outcome counts for the host's breaker. */
      done(outcome: AttemptOutcome, latencyMs: number, at: number): void;
      /** No request was made after all. */
      cancel(at: number): void;
    }
  | { admitted: false; reason: 'circuit-open' | 'busy'; retryAfterMs: number };

/**
 * Keeps one receiver from taking the delivery workers with it (Convoy's issue #1926: one dead endpoint
 * clogs everyone). Per receiving host (URL origin), in this process: at most `maxConcurrent` requests
 * in flight, and the gateway's circuit breaker — a host that keeps timing out or failing is not called
 * for a while. A refused delivery is not attempted (no attempt counted); it is put back for later.
 */
export interface EndpointGuard {
  admit(url: string, now: number): Admission;
}

export interface EndpointGuardOptions {
  maxConcurrent?: number;
  /** How long a delivery refused for `busy` waits before it is tried again. */
  busyRetryMs?: number;
  breaker?: Partial<BreakerSettings>;
}

/**
 * Endpoint breaker defaults: trip after 5 failures in a row or half of 10 calls in 30 s, stay open 10 s
 * doubling to 5 min. A hanging receiver costs at most a few timeouts, then nothing until a probe succeeds.
 */
export const ENDPOINT_BREAKER: Partial<BreakerSettings> = {
  windowMs: 30_000,
  bucketMs: 1_000,
  minimumCalls: 10,
  failureRateThreshold: 50,
  slowCallDurationMs: 10_000,
  slowCallRateThreshold: 100,
  consecutiveFailures: 5,
  openBaseMs: 10_000,
  openMaxMs: 300_000,
  halfOpenProbes: 1,
  halfOpenTimeoutMs: 30_000,
};

const originOf = (url: string): string => {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
};

export function endpointGuard({
  maxConcurrent = 10,
  busyRetryMs = 1_000,
  breaker = ENDPOINT_BREAKER,
}: EndpointGuardOptions = {}): EndpointGuard {
  const breakers = new BreakerRegistry({ defaults: breaker, maxBreakers: 10_000 });
  const inFlight = new Map<string, number>();
  return {
    admit(url, now) {
      const origin = originOf(url);
      const busy = inFlight.get(origin) ?? 0;
      if (busy >= maxConcurrent) return { admitted: false, reason: 'busy', retryAfterMs: busyRetryMs };
      const acquisition = breakers.acquire(origin, undefined, now);
      if (!acquisition.permitted) {
        return {
          admitted: false,
          reason: 'circuit-open',
          retryAfterMs: Math.max(acquisition.retryAfterMs, 1_000),
        };
      }
      inFlight.set(origin, busy + 1);
      let settled = false;
      const release = () => {
        if (settled) return false;
        settled = true;
        const left = (inFlight.get(origin) ?? 1) - 1;
        if (left > 0) inFlight.set(origin, left);
        else inFlight.delete(origin);
        return true;
      };
      return {
        admitted: true,
        done(outcome, latencyMs, at) {
          if (!release()) return;
          if (outcome.kind === 'delivered') acquisition.permit.success(latencyMs, at);
          else acquisition.permit.failure(at);
        },
        cancel(at) {
          if (release()) acquisition.permit.cancel(at);
        },
      };
    },
  };
}
