import type { ConsoleRole } from '../../shared/console/roles.ts';

/**
 * The partner routes of the console and the least role that may call each. The CDK construct creates
 * exactly these and the handler enforces the roles.
 */
export const PARTNER_CONSOLE_ROUTES = {
  'GET /console/v1/partners': 'viewer',
  'GET /console/v1/partners/{partnerId}': 'viewer',
  'PUT /console/v1/partners/{partnerId}': 'operator',
  'DELETE /console/v1/partners/{partnerId}': 'admin',
  'GET /console/v1/partners/{partnerId}/transitions': 'viewer',
  'GET /console/v1/partners/{partnerId}/notices': 'viewer',
  'POST /console/v1/partners/{partnerId}/notices': 'operator',
  'GET /console/v1/partners/{partnerId}/notices/{source}/{noticeId}': 'viewer',
  'PATCH /console/v1/partners/{partnerId}/notices/{source}/{noticeId}': 'operator',
  'DELETE /console/v1/partners/{partnerId}/notices/{source}/{noticeId}': 'operator',
} as const satisfies Record<string, ConsoleRole>;

export type PartnerConsoleRouteKey = keyof typeof PARTNER_CONSOLE_ROUTES;

/** Partners push their notices here, signed with their shared secret (seed 003 §6.3). */
export const PARTNER_PUSH_ROUTE = 'POST /partners/v1/notices';

/** Internal services ask about partner health (scope `health:read`): one partner, or several ranked. */
export const HEALTH_ROUTES = ['GET /health/v1/partners/{partnerId}', 'GET /health/v1/partners'] as const;
export type HealthRouteKey = (typeof HEALTH_ROUTES)[number];
