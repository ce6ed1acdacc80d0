/**
 * The fallback function's routes. The CDK FallbackRoutes construct creates exactly these; the handler
 * answers the planned ones 501 and everything else 404, both as problem+json.
 */

/**
 * Public paths reserved by the design whose capability has not been built yet: none now that every
 * designed `/v1` path is served (each answered 501 while it was reserved).
 */
export const PLANNED_ROUTES: readonly string[] = [];

/** Every request no other route matches, so even a typo gets problem+json. */
export const CATCH_ALL_ROUTE = 'ANY /{proxy+}';
