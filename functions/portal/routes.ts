/**
 * The developer portal's public routes, by route key. The CDK Portal construct creates exactly these and
 * the handler switches over the same keys.
 */
export const PORTAL_ROUTES = {
  'GET /v1/apis': 'catalog',
  'GET /v1/apis/{apiName}/openapi.json': 'api-document',
} as const;

export type PortalRouteKey = keyof typeof PORTAL_ROUTES;

/** The routes of a person signed in to the web app (a bearer token with the portal scope). */
export const DEVELOPER_ROUTES = {
  'GET /v1/me': 'me',
  'GET /v1/me/apps': 'my-apps',
  'POST /v1/me/apps': 'create-app',
  'GET /v1/me/apps/{appId}': 'app',
  'POST /v1/me/apps/{appId}/sandbox-token': 'sandbox-token',
  'POST /v1/me/apps/{appId}/token': 'app-token',
  'POST /v1/me/apps/{appId}/credentials': 'add-credential',
  'POST /v1/me/apps/{appId}/credentials/{clientId}/rotate': 'rotate-secret',
  'DELETE /v1/me/apps/{appId}/credentials/{clientId}': 'revoke-credential',
  'POST /v1/me/apps/{appId}/access-requests': 'apply',
  'GET /v1/me/access-requests': 'my-access-requests',
} as const;

/** Self-service sign-up of a developer account: public, throttled per source address. */
export const SIGN_UP_ROUTE = 'POST /v1/signup';

export type DeveloperRouteKey = keyof typeof DEVELOPER_ROUTES;
