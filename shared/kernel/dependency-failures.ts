/**
 * Which errors mean "an AWS dependency is unavailable right now" (slow, unreachable, failing or
 * throttling us after the client's own retries) rather than a bug or a bad request. The edge answers
 * those with 503 and `Retry-After` instead of a 500 (`dependencyUnavailable`). Pure: it reads the
 * error's name, code and SDK metadata, so it needs no SDK import.
 */
import { DomainError } from './errors.ts';

export type DependencyFailure = 'timeout' | 'network' | 'throttled' | 'server-error';

/** What a caller is told to wait before retrying a request refused because a dependency is down. */
export const DEPENDENCY_RETRY_AFTER_SECONDS = 3;

const TIMEOUT_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);

const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

const THROTTLING_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'LimitExceededException',
  'SlowDown',
]);

const SERVER_ERROR_NAMES = new Set([
  'InternalServerError',
  'InternalFailure',
  'InternalServiceError',
  'InternalServiceErrorException',
  'InternalException',
  'KMSInternalException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
]);

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  cause?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

/** The kind of dependency failure `error` is (looking through `cause` chains), or undefined. */
export function dependencyFailure(error: unknown, depth = 0): DependencyFailure | undefined {
  if (typeof error !== 'object' || error === null || depth > 5) return undefined;
  const e = error as ErrorLike;
  const name = typeof e.name === 'string' ? e.name : '';
  const code = typeof e.code === 'string' ? e.code : '';
  if (name === 'AbortError') return undefined;
  if (TIMEOUT_NAMES.has(name) || code === 'ETIMEDOUT') return 'timeout';
  if (SOCKET_CODES.has(code)) return 'network';
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : 0;
  if (THROTTLING_NAMES.has(name) || status === 429) return 'throttled';
  if (SERVER_ERROR_NAMES.has(name) || (status >= 500 && status <= 599)) return 'server-error';
  return e.cause === undefined ? undefined : dependencyFailure(e.cause, depth + 1);
}

export const isDependencyUnavailable = (error: unknown): boolean => dependencyFailure(error) !== undefined;

/** The refusal of a request that needs a dependency (DynamoDB, KMS, ...) which is down or too slow right now. */
export const dependencyUnavailable = (cause?: unknown): DomainError =>
  new DomainError(
    'service-unavailable',
    'A service this request depends on is unavailable right now; retry shortly.',
    {},
    { retryAfterSeconds: DEPENDENCY_RETRY_AFTER_SECONDS },
    cause,
  );
