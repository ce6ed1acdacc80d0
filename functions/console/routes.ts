import type { ConsoleRole } from '../../shared/console/roles.ts';

/**
 * Every console route and the least role that may call it. The CDK stack creates exactly these routes
 * and the handler enforces the roles, so the two cannot disagree.
 */
export const CONSOLE_ROUTES = {
  'GET /console/v1/developers': 'viewer',
  'POST /console/v1/developers': 'operator',
  'GET /console/v1/developers/{developerId}': 'viewer',
  'PATCH /console/v1/developers/{developerId}': 'operator',
  'DELETE /console/v1/developers/{developerId}': 'admin',
  'GET /console/v1/apps': 'viewer',
  'POST /console/v1/apps': 'operator',
  'GET /console/v1/apps/{appId}': 'viewer',
  'PATCH /console/v1/apps/{appId}': 'operator',
  'DELETE /console/v1/apps/{appId}': 'admin',
  'GET /console/v1/apps/{appId}/credentials': 'viewer',
  'POST /console/v1/apps/{appId}/credentials': 'operator',
  'POST /console/v1/apps/{appId}/credentials/{clientId}/rotate': 'operator',
  'DELETE /console/v1/apps/{appId}/credentials/{clientId}': 'admin',
  'GET /console/v1/apps/{appId}/tokens': 'viewer',
  'POST /console/v1/apps/{appId}/tokens/revoke': 'operator',
  'DELETE /console/v1/apps/{appId}/tokens/{jti}': 'operator',
  'GET /console/v1/apis': 'viewer',
  'GET /console/v1/apis/{apiName}': 'viewer',
  'PUT /console/v1/apis/{apiName}': 'operator',
  'POST /console/v1/apis/{apiName}/openapi': 'operator',
  'DELETE /console/v1/apis/{apiName}': 'admin',
  'GET /console/v1/topics': 'viewer',
  'GET /console/v1/topics/{topic}': 'viewer',
  'PUT /console/v1/topics/{topic}': 'operator',
  'DELETE /console/v1/topics/{topic}': 'admin',
  'GET /console/v1/audit': 'viewer',
  'GET /console/v1/access-requests': 'viewer',
  'POST /console/v1/access-requests/{requestId}/approve': 'operator',
  'POST /console/v1/access-requests/{requestId}/reject': 'operator',
} as const satisfies Record<string, ConsoleRole>;

export type ConsoleRouteKey = keyof typeof CONSOLE_ROUTES;
