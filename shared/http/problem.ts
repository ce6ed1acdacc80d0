import { DEPENDENCY_RETRY_AFTER_SECONDS, isDependencyUnavailable } from '../aws/dependency-errors.ts';

/**
 * RFC 9457 problem details. Every failure leaves the platform as one of these, with a stable `type`
 * that clients may switch on. Problems raised on purpose (4xx, and 5xx such as an upstream timeout)
 * carry details written for the caller; an AWS dependency that is down becomes a 503 with
 * `Retry-After`; any other error becomes a generic 500 that reveals nothing.
 * `expose` follows the middy/http-errors convention (true for 4xx).
 */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export const problemCodes = {
  'bad-request': { status: 400, title: 'Bad request' },
  'malformed-body': { status: 400, title: 'The request body could not be parsed' },
  'validation-failed': { status: 400, title: 'The request is not valid' },
  unauthorized: { status: 401, title: 'Authentication is required' },
  'invalid-token': { status: 401, title: 'The access token is not valid' },
  forbidden: { status: 403, title: 'Access denied' },
  'not-found': { status: 404, title: 'Not found' },
  'unknown-api': { status: 404, title: 'No API is registered under this name' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'Conflict' },
  'payload-too-large': { status: 413, title: 'The request body is too large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  'rate-limited': { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal server error' },
  'not-implemented': { status: 501, title: 'Not implemented yet' },
  'bad-gateway': { status: 502, title: 'The upstream service failed' },
  'service-unavailable': { status: 503, title: 'Service unavailable' },
  'circuit-open': { status: 503, title: 'The API is temporarily unavailable' },
  'bulkhead-full': { status: 503, title: 'Too many calls to this API are in progress' },
  'upstream-timeout': { status: 504, title: 'The upstream service did not answer in time' },
} as const;

export type ProblemCode = keyof typeof problemCodes;

export const problemType = (code: ProblemCode): string => `urn:portico:problem:${code}`;

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  [extension: string]: unknown;
}

export class ProblemError extends Error {
  readonly status: number;
  readonly expose: boolean;

  constructor(
    readonly code: ProblemCode,
    readonly detail?: string,
    readonly extensions: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? problemCodes[code].title);
    this.name = 'ProblemError';
    this.status = problemCodes[code].status;
    this.expose = this.status < 500;
  }

  toBody(instance?: string): ProblemBody {
    return {
      type: problemType(this.code),
      title: problemCodes[this.code].title,
      status: this.status,
      ...(this.detail ? { detail: this.detail } : {}),
      ...(instance ? { instance } : {}),
      ...this.extensions,
    };
  }
}

export const isProblemError = (error: unknown): error is ProblemError => error instanceof ProblemError;

/** A request that needs a dependency (DynamoDB, KMS, ...) which is down or too slow right now. */
export const dependencyUnavailableProblem = (): ProblemError =>
  new ProblemError(
    'service-unavailable',
    'A service this request depends on is unavailable right now; retry shortly.',
    {},
    { 'retry-after': String(DEPENDENCY_RETRY_AFTER_SECONDS) },
  );

/** Turns any thrown value into the problem to send: unexpected errors lose every internal detail. */
export function toProblem(error: unknown): ProblemError {
  if (isProblemError(error)) return error;
  return isDependencyUnavailable(error) ? dependencyUnavailableProblem() : new ProblemError('internal');
}
