import type { RateLimitPolicy } from '../../kernel/rate-limit-policy.ts';
import type { ApiDefinition } from '../api-definition.ts';

/**
 * Rate-limit policies and the keys they count under (pure, no I/O).
 *
 * A policy is a token bucket: `limit` per `windowSeconds`, at most `burst` (default `limit`) at once
 * (`token-bucket.ts`). The shape is the one API definitions already carry (`ApiDefinition.rateLimits`).
 *
 * Dimensions: `app` (every call of an app, whatever the API), `api` (every call to an API, whatever
 * the app), `app-api` (one app on one API) and `ip` (one source address). A request is counted on
 * every dimension that has a policy, and refused when any of them is exhausted.
 */
export type { RateLimitPolicy };

export type Dimension = 'app' | 'api' | 'app-api' | 'ip';
export const DIMENSIONS: readonly Dimension[] = ['app', 'api', 'app-api', 'ip'];

/** The policies of an API definition, or of an app's overrides (same shape as `ApiDefinition.rateLimits`). */
export type DimensionPolicies = NonNullable<ApiDefinition['rateLimits']>;

/** One limit to enforce on a request: the policy, the key it counts under, and its public name. */
export interface RateLimitRule {
  /** The policy name shown in `RateLimit-Policy`/`RateLimit` (the dimension, e.g. `app-api`). */
  name: string;
  /** The counter's identity, from `dimensionKey`. */
  key: string;
  policy: RateLimitPolicy;
}

export interface CallerParts {
  appId?: string;
  api?: string;
  ip?: string;
}

export const MAX_LIMIT = 1_000_000;
export const MAX_WINDOW_SECONDS = 86_400;

const part = (value: string | undefined, name: string) => {
  if (!value) throw new Error(`a rate-limit key needs ${name}`);
  return encodeURIComponent(value);
};

/** The counter key of a dimension, e.g. `app-api#<appId>#<api>`; parts are URI-encoded so `#` cannot collide. */
export function dimensionKey(dimension: Dimension, parts: CallerParts): string {
  switch (dimension) {
    case 'app':
      return `app#${part(parts.appId, 'appId')}`;
    case 'api':
      return `api#${part(parts.api, 'api')}`;
    case 'app-api':
      return `app-api#${part(parts.appId, 'appId')}#${part(parts.api, 'api')}`;
    case 'ip':
      return `ip#${part(parts.ip, 'ip')}`;
  }
}

/** Why a policy is unusable, or undefined when it is fine (same bounds as the API definition schema). */
export function policyProblem(policy: unknown): string | undefined {
  if (typeof policy !== 'object' || policy === null)
    return 'a policy is an object {limit, windowSeconds, burst?}';
  const { limit, windowSeconds } = policy as Record<string, unknown>;
  if (!Number.isInteger(limit) || (limit as number) < 1 || (limit as number) > MAX_LIMIT)
    return `limit must be an integer from 1 to ${MAX_LIMIT}`;
  if (
    !Number.isInteger(windowSeconds) ||
    (windowSeconds as number) < 1 ||
    (windowSeconds as number) > MAX_WINDOW_SECONDS
  )
    return `windowSeconds must be an integer from 1 to ${MAX_WINDOW_SECONDS}`;
  const { burst } = policy as Record<string, unknown>;
  if (
    burst !== undefined &&
    (!Number.isInteger(burst) || (burst as number) < 1 || (burst as number) > MAX_LIMIT)
  )
    return `burst must be an integer from 1 to ${MAX_LIMIT}`;
  return undefined;
}

export function assertPolicy(policy: unknown): asserts policy is RateLimitPolicy {
  const problem = policyProblem(policy);
  if (problem) throw new Error(`invalid rate-limit policy ${JSON.stringify(policy)}: ${problem}`);
}

const FIELD: Record<Dimension, keyof DimensionPolicies> = {
  app: 'app',
  api: 'api',
  'app-api': 'appApi',
  ip: 'ip',
};

/**
 * The rules that apply to one call. The API definition sets every dimension; an app's own settings
 * (its plan) replace the API's for the dimensions that are about that app (`app`, `app-api`), never
 * for `api` and `ip`, which protect the API itself. A dimension whose key part is unknown (no app on
 * an anonymous call, no source address) is skipped.
 */
export function rulesFor(
  parts: CallerParts,
  sources: { api?: DimensionPolicies; app?: DimensionPolicies },
): RateLimitRule[] {
  const rules: RateLimitRule[] = [];
  for (const dimension of DIMENSIONS) {
    const field = FIELD[dimension];
    const appOwned = dimension === 'app' || dimension === 'app-api';
    const policy = (appOwned ? sources.app?.[field] : undefined) ?? sources.api?.[field];
    if (!policy) continue;
    const needs = dimension === 'ip' ? [parts.ip] : dimension === 'api' ? [parts.api] : [parts.appId];
    if (dimension === 'app-api') needs.push(parts.api);
    if (needs.some((p) => !p)) continue;
    assertPolicy(policy);
    rules.push({ name: dimension, key: dimensionKey(dimension, parts), policy });
  }
  return rules;
}
