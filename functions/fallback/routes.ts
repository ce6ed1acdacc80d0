/**
 * The fallback function's routes. The CDK FallbackRoutes construct creates exactly these; the handler
 * answers the planned ones 501 and everything else 404, both as problem+json.
 */

/** Public paths reserved by the design whose capability has not been built yet. */
export const PLANNED_ROUTES = ['ANY /v1/{proxy+}'] as const;

/** Every request no other route matches, so even a typo gets problem+json. */
export const CATCH_ALL_ROUTE = 'ANY /{proxy+}';
