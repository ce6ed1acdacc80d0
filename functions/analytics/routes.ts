import type { ConsoleRole } from '../../shared/console/roles.ts';

/** Usage of the whole platform, for operators: the least role that may call each. */
export const ANALYTICS_CONSOLE_ROUTES = {
  'GET /console/v1/analytics/calls': 'viewer',
  'GET /console/v1/analytics/deliveries': 'viewer',
  'GET /console/v1/analytics/top': 'viewer',
} as const satisfies Record<string, ConsoleRole>;

/** An app's own usage, with its own bearer token. */
export const ANALYTICS_APP_ROUTES = ['GET /v1/analytics/calls', 'GET /v1/analytics/deliveries'] as const;

export type AnalyticsRouteKey = keyof typeof ANALYTICS_CONSOLE_ROUTES | (typeof ANALYTICS_APP_ROUTES)[number];

/** Request-log search: whole calls, bodies included (redacted), so operators only. */
export const LOG_ROUTES = {
  'GET /console/v1/logs': 'operator',
} as const satisfies Record<string, ConsoleRole>;

/** Call chains, and the provider credentials error reports are sent with. */
export const TRACE_CONSOLE_ROUTES = {
  'GET /console/v1/traces/{traceId}': 'viewer',
  'POST /console/v1/apis/{apiName}/provider-keys': 'admin',
  'DELETE /console/v1/apis/{apiName}/provider-keys/{keyId}': 'admin',
} as const satisfies Record<string, ConsoleRole>;

/** A provider reports an exception against one of its API's calls, with its provider key (HTTP Basic). */
export const PROVIDER_REPORT_ROUTE = 'POST /v1/traces/{traceId}/errors';

export type TraceRouteKey = keyof typeof TRACE_CONSOLE_ROUTES | typeof PROVIDER_REPORT_ROUTE;
