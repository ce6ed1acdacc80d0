/**
 * The OAuth 2.0 endpoints and the handler module (functions/oauth/<module>.ts) behind each. The CDK
 * IdentityApi construct creates exactly these routes; token-management.ts tells introspection from
 * revocation by route key.
 */
export const OAUTH_ROUTES = {
  'POST /oauth2/token': 'token',
  'GET /oauth2/authorize': 'authorize',
  'POST /oauth2/authorize': 'authorize',
  'POST /oauth2/introspect': 'token-management',
  'POST /oauth2/revoke': 'token-management',
} as const;

export type OAuthRouteKey = keyof typeof OAUTH_ROUTES;
export type OAuthHandlerModule = (typeof OAUTH_ROUTES)[OAuthRouteKey];
