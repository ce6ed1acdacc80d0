import { DomainError } from '../../kernel/errors.ts';
import type { DegradeResponse } from './settings.ts';

/** Why a call was refused, as `tryAcquire` (or `BreakerRegistry.acquire`) reports it. */
export interface BreakerRefusal {
  state: 'open' | 'half-open';
  retryAfterMs: number;
}

/** A ready-made HTTP answer (API Gateway payload 2.0 result shape). */
export interface DegradedAnswer {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** `Retry-After` in whole seconds, at least 1. */
export const retryAfterSeconds = (retryAfterMs: number): number =>
  Math.max(1, Math.ceil(Math.max(0, retryAfterMs) / 1000));

/**
 * The default answer: 503 `urn:portico:problem:circuit-open` with `Retry-After`. Neither the
 * breaker key nor the upstream is named: callers need not know how the API is deployed.
 */
export function breakerOpenProblem(refusal: BreakerRefusal): DomainError {
  const seconds = retryAfterSeconds(refusal.retryAfterMs);
  return new DomainError(
    'circuit-open',
    refusal.state === 'open'
      ? `The API is temporarily unavailable; retry in ${seconds} s.`
      : `The API is recovering and takes only a few calls at the moment; retry in ${seconds} s.`,
    { retryAfterSeconds: seconds },
    { retryAfterSeconds: seconds },
  );
}

/**
 * What to answer for a refused call: the API owner's configured answer (with `Retry-After` added unless
 * it sets one), or `undefined`, meaning: throw `breakerOpenProblem(refusal)` and let the middleware
 * render it with the request id like every other problem.
 */
export function degradedAnswer(
  degrade: DegradeResponse | undefined,
  refusal: BreakerRefusal,
): DegradedAnswer | undefined {
  if (!degrade) return undefined;
  const headers: Record<string, string> = { 'content-type': degrade.contentType ?? 'application/json' };
  for (const [name, value] of Object.entries(degrade.headers ?? {})) headers[name.toLowerCase()] = value;
  headers['retry-after'] ??= String(retryAfterSeconds(refusal.retryAfterMs));
  return { statusCode: degrade.status, headers, body: degrade.body };
}
