import type { ConsoleRole } from '../../shared/console/roles.ts';

/** Usage of the whole platform, for operators: the least role that may call each. */
export const ANALYTICS_CONSOLE_ROUTES = {
  'GET /console/v1/analytics/calls': 'viewer',
  'GET /console/v1/analytics/deliveries': 'viewer',
} as const satisfies Record<string, ConsoleRole>;

/** An app's own usage, with its own bearer token. */
export const ANALYTICS_APP_ROUTES = ['GET /v1/analytics/calls', 'GET /v1/analytics/deliveries'] as const;

export type AnalyticsRouteKey = keyof typeof ANALYTICS_CONSOLE_ROUTES | (typeof ANALYTICS_APP_ROUTES)[number];

/** Request-log search: whole calls, bodies included (redacted), so operators only. */
export const LOG_ROUTES = {
  'GET /console/v1/logs': 'operator',
} as const satisfies Record<string, ConsoleRole>;
