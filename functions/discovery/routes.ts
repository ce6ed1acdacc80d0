/**
 * The public documents the discovery function serves, by route key. The CDK IdentityApi construct
 * creates exactly these routes and the handler switches over the same keys.
 */
export const DISCOVERY_ROUTES = {
  'GET /.well-known/jwks.json': 'jwks',
  'GET /.well-known/identity-jwks.json': 'identity-jwks',
  'GET /.well-known/oauth-authorization-server': 'authorization-server-metadata',
  'GET /openapi.json': 'openapi',
} as const;

export type DiscoveryRouteKey = keyof typeof DISCOVERY_ROUTES;

/** The platform's OpenAPI document: beside the bundle in a deployment (the construct copies it there). */
export const OPENAPI_FILE = 'portico.openapi.json';
