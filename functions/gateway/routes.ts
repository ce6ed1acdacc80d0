/**
 * The gateway's routes: every registered API is served below `/apis/{apiName}`, any method. The CDK
 * GatewayApi construct creates exactly these routes.
 */
export const GATEWAY_ROUTES = ['ANY /apis/{apiName}', 'ANY /apis/{apiName}/{path+}'] as const;

export type GatewayRouteKey = (typeof GATEWAY_ROUTES)[number];
