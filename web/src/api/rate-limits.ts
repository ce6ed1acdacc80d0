/**
 * A token bucket, as the platform writes rate limits: `limit` calls per `windowSeconds`, and at most
 * `burst` at once (`limit` when absent).
 */
export interface RateLimitPolicy {
  limit: number;
  windowSeconds: number;
  burst?: number;
}

/**
 * The rate limits an app holds or asks for: `app` bounds every call of the app, whatever the API;
 * `appApi` bounds its calls to any one API. Either replaces the API's own limit of that kind.
 */
export interface RateLimitPlan {
  app?: RateLimitPolicy;
  appApi?: RateLimitPolicy;
}
