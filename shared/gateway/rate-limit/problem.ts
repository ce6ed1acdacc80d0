import { DomainError } from '../../kernel/errors.ts';
import type { RateLimitDecision } from './limiter.ts';

/**
 * The 429 answer for a refused decision: problem+json `urn:portico:problem:rate-limited` with the
 * draft's `violated-policies` member, and the decision's `RateLimit-Policy`, `RateLimit` and
 * `Retry-After` headers. (Allowed answers should carry `decision.headers` too.)
 */
export function rateLimitedProblem(decision: RateLimitDecision): DomainError {
  const seconds = decision.headers['Retry-After'];
  return new DomainError(
    'rate-limited',
    `Rate limit exceeded (${decision.violated.join(', ')})${seconds ? `; retry in ${seconds} s` : ''}.`,
    { 'violated-policies': decision.violated },
    { fields: decision.headers },
  );
}
