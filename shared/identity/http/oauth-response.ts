import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { toProblem } from '../../http/problem.ts';
import type { HttpResult } from '../../http/types.ts';
import {
  DEPENDENCY_RETRY_AFTER_SECONDS,
  dependencyFailure,
  isDependencyUnavailable,
} from '../../kernel/dependency-failures.ts';
import { isDomainError } from '../../kernel/errors.ts';
import { count } from '../../observability.ts';
import type { TokenResponse } from '../issue-tokens.ts';
import { OAuthError } from '../oauth.ts';

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

export const tokenResponse = (issued: TokenResponse): HttpResult => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json', ...NO_STORE },
  body: JSON.stringify(issued),
});

/**
 * OAuth endpoints answer errors as RFC 6749 section 5.2 requires (application/json with `error`),
 * and carry the RFC 9457 members alongside so both kinds of client can read them.
 */
export function oauthErrorResponse(error: OAuthError): HttpResult {
  return {
    statusCode: error.status,
    headers: { 'content-type': 'application/json', ...NO_STORE, ...error.headers },
    body: JSON.stringify({
      error: error.error,
      error_description: error.description,
      type: `urn:portico:problem:oauth:${error.error}`,
      title: error.error,
      status: error.status,
    }),
  };
}

/** What an OAuth endpoint answers when a store or key it needs is unavailable: retry, not a 500. */
export const temporarilyUnavailable = (): OAuthError =>
  new OAuthError(
    'temporarily_unavailable',
    'The authorization server is temporarily unavailable; retry shortly.',
    503,
    { 'retry-after': String(DEPENDENCY_RETRY_AFTER_SECONDS) },
  );

/**
 * Client errors found before the grant logic (body too big, wrong media type) become invalid_request;
 * an AWS dependency that is down becomes temporarily_unavailable (503, Retry-After).
 */
export function asOAuthError(error: unknown): OAuthError | undefined {
  if (error instanceof OAuthError) return error;
  if (isDependencyUnavailable(error)) return temporarilyUnavailable();
  const problem = isDomainError(error) ? toProblem(error) : undefined;
  if (problem?.expose) {
    return new OAuthError(
      'invalid_request',
      problem.detail ?? problem.message,
      problem.status,
      problem.headers,
    );
  }
  return undefined;
}

/**
 * The answer of an OAuth endpoint to what its handler threw: RFC 6749 JSON for OAuth errors, client
 * errors and outages (logged, and counted as `DependencyUnavailable`); anything else is rethrown for
 * the edge's opaque 500. `onRefused` sees every other refusal.
 */
export function oauthFailure(
  error: unknown,
  observe: { logger: Logger; metrics?: Metrics; onRefused?: (refusal: OAuthError) => void },
): HttpResult {
  const oauthError = asOAuthError(error);
  if (!oauthError) throw error;
  const failure = dependencyFailure(error);
  if (failure) {
    observe.logger.warn('dependency unavailable', { failure, error: (error as Error).name });
    if (observe.metrics) count(observe.metrics, 'DependencyUnavailable');
  } else {
    observe.onRefused?.(oauthError);
  }
  return oauthErrorResponse(oauthError);
}
