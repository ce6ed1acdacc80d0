/**
 * The developer portal's public routes, by route key. The CDK Portal construct creates exactly these and
 * the handler switches over the same keys.
 */
export const PORTAL_ROUTES = {
  'GET /v1/apis': 'catalog',
  'GET /v1/apis/{apiName}/openapi.json': 'api-document',
} as const;

export type PortalRouteKey = keyof typeof PORTAL_ROUTES;
