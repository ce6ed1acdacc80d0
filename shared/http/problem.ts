import { dependencyUnavailable, isDependencyUnavailable } from '../kernel/dependency-failures.ts';
import { DomainError, type ErrorCode, type ErrorHints, isDomainError } from '../kernel/errors.ts';

/**
 * RFC 9457 problem details. Every failure leaves the platform as one of these, with a stable `type`
 * that clients may switch on. Problems raised on purpose (4xx, and 5xx such as an upstream timeout)
 * carry details written for the caller; an AWS dependency that is down becomes a 503 with
 * `Retry-After`; any other error becomes a generic 500 that reveals nothing.
 * `expose` follows the middy/http-errors convention (true for 4xx).
 */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export const problemCodes: Record<ErrorCode, { status: number; title: string }> = {
  'bad-request': { status: 400, title: 'Bad request' },
  'malformed-body': { status: 400, title: 'The request body could not be parsed' },
  'validation-failed': { status: 400, title: 'The request is not valid' },
  unauthorized: { status: 401, title: 'Authentication is required' },
  'invalid-token': { status: 401, title: 'The access token is not valid' },
  forbidden: { status: 403, title: 'Access denied' },
  'not-found': { status: 404, title: 'Not found' },
  'unknown-api': { status: 404, title: 'No API is registered under this name' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  gone: { status: 410, title: 'This API has been retired' },
  conflict: { status: 409, title: 'Conflict' },
  'payload-too-large': { status: 413, title: 'The request body is too large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  'rate-limited': { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal server error' },
  'not-implemented': { status: 501, title: 'Not implemented yet' },
  'bad-gateway': { status: 502, title: 'The upstream service failed' },
  'mapping-failed': { status: 502, title: 'The API’s transform rules could not be applied' },
  'service-unavailable': { status: 503, title: 'Service unavailable' },
  'circuit-open': { status: 503, title: 'The API is temporarily unavailable' },
  'bulkhead-full': { status: 503, title: 'Too many calls to this API are in progress' },
  'partner-unavailable': { status: 503, title: 'The partner behind this API is unavailable' },
  'upstream-timeout': { status: 504, title: 'The upstream service did not answer in time' },
};

export type ProblemCode = ErrorCode;

export const problemType = (code: ProblemCode): string => `urn:portico:problem:${code}`;

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  [extension: string]: unknown;
}

/** The protocol fields a domain error's hints stand for. */
export function hintHeaders(hints: ErrorHints): Record<string, string> {
  return {
    ...(hints.retryAfterSeconds !== undefined ? { 'retry-after': String(hints.retryAfterSeconds) } : {}),
    ...(hints.challenge ? { 'www-authenticate': hints.challenge } : {}),
    ...(hints.allow ? { allow: hints.allow } : {}),
    ...(hints.accept ? { accept: hints.accept } : {}),
    ...hints.fields,
  };
}

/**
 * A refusal as the edge answers it: the domain error's code mapped to its status by `problemCodes`,
 * its hints written as headers. Edge code (handlers, middleware) may throw one directly.
 */
export class ProblemError extends DomainError {
  readonly status: number;
  readonly expose: boolean;
  readonly headers: Record<string, string>;

  constructor(
    code: ProblemCode,
    detail?: string,
    readonly extensions: Record<string, unknown> = {},
    headers: Record<string, string> = {},
    hints: ErrorHints = {},
  ) {
    super(code, detail, extensions, hints);
    this.message = detail ?? problemCodes[code].title;
    this.name = 'ProblemError';
    this.status = problemCodes[code].status;
    this.expose = this.status < 500;
    this.headers = { ...hintHeaders(hints), ...headers };
  }

  /** The answer to a domain error. */
  static of(error: DomainError): ProblemError {
    return new ProblemError(error.code, error.detail, error.details, {}, error.hints);
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

/** Turns any thrown value into the problem to send: unexpected errors lose every internal detail. */
export function toProblem(error: unknown): ProblemError {
  if (isProblemError(error)) return error;
  if (isDomainError(error)) return ProblemError.of(error);
  return isDependencyUnavailable(error)
    ? ProblemError.of(dependencyUnavailable(error))
    : new ProblemError('internal');
}
