/**
 * What domain code throws when a request cannot be served: a stable code (the problem type clients
 * switch on), a detail written for the caller, and members that explain it. Never a status: the edge
 * maps each code to its answer (`shared/http/problem.ts` for RFC 9457, `identity/http/oauth-response.ts`
 * for RFC 6749).
 */
export const ERROR_CODES = [
  'bad-request',
  'malformed-body',
  'validation-failed',
  'unauthorized',
  'invalid-token',
  'forbidden',
  'not-found',
  'unknown-api',
  'method-not-allowed',
  'gone',
  'conflict',
  'payload-too-large',
  'unsupported-media-type',
  'rate-limited',
  'internal',
  'not-implemented',
  'bad-gateway',
  'mapping-failed',
  'service-unavailable',
  'circuit-open',
  'bulkhead-full',
  'partner-unavailable',
  'upstream-timeout',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Facts about a refusal that the edge turns into protocol fields. */
export interface ErrorHints {
  /** Seconds the caller should wait before trying again. */
  retryAfterSeconds?: number;
  /** How the caller must authenticate (an RFC 9110 challenge, e.g. `Bearer realm="portico"`). */
  challenge?: string;
  /** The methods the resource accepts. */
  allow?: string;
  /** The media type the resource accepts. */
  accept?: string;
  /** Fields the call carries whatever its outcome (rate-limit state, CORS), written as they are. */
  fields?: Record<string, string>;
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail?: string,
    /** Members added to the answer (e.g. `errors`, `reason`, `violated-policies`). */
    readonly details: Record<string, unknown> = {},
    readonly hints: ErrorHints = {},
    /** What caused it, kept for the logs (never sent). */
    cause?: unknown,
  ) {
    super(detail ?? code, cause === undefined ? undefined : { cause });
    this.name = 'DomainError';
  }
}

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;
