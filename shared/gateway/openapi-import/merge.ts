import type { ApiDefinition, ApiRoute } from '../api-definition.ts';
import type { ImportedContract } from './convert.ts';
import type { ImportFindings } from './problems.ts';

/** What the request importing a document may set beside it: the gateway settings a document cannot. */
export interface ImportSettings {
  upstreams?: { url: string }[];
  timeoutMs?: number;
}

/** The route members a document owns; every other member of a route is the gateway's, and kept. */
const IMPORTED_ROUTE_MEMBERS = new Set<string>([
  'method',
  'path',
  'summary',
  'description',
  'parameters',
  'requestSchema',
  'requestBodyRequired',
  'responseSchema',
  'examples',
  'requiredScopes',
]);

const routeKey = (route: Pick<ApiRoute, 'method' | 'path'>) => `${route.method} ${route.path}`;

/**
 * The definition an import would store: the document's routes, description and version over the
 * current revision, whose gateway-only settings (upstreams, timeouts, auth modes, rate limits, mock,
 * CORS… and the gateway members of a route with the same method and path) are kept. A new API takes
 * its upstream from the request or `servers[0].url`, and its timeout from the request.
 */
export function mergeImport(
  name: string,
  contract: ImportedContract,
  current: ApiDefinition | undefined,
  settings: ImportSettings,
  findings: ImportFindings,
): Record<string, unknown> {
  const {
    revision: _revision,
    updatedAt: _updatedAt,
    ...kept
  } = (current ?? {}) as Partial<ApiDefinition & { revision: number; updatedAt: string }>;
  const upstreams =
    settings.upstreams ?? kept.upstreams ?? (contract.serverUrl ? [{ url: contract.serverUrl }] : undefined);
  if (!upstreams)
    findings.refuse('/servers/0/url', 'is no absolute http(s) URL: name the upstream with ?upstream=');
  const timeoutMs = settings.timeoutMs ?? kept.timeoutMs;
  if (timeoutMs === undefined) findings.refuse('/query/timeoutMs', 'is required to register a new API');
  const currentRoutes = new Map((kept.routes ?? []).map((route) => [routeKey(route), route]));
  return {
    ...kept,
    name,
    ...(contract.description !== undefined ? { description: contract.description } : {}),
    ...(contract.version !== undefined ? { version: contract.version } : {}),
    upstreams,
    timeoutMs,
    routes: contract.routes.map((route) => ({
      ...gatewayMembers(currentRoutes.get(routeKey(route))),
      ...route,
    })),
  };
}

function gatewayMembers(route: ApiRoute | undefined): Record<string, unknown> {
  if (!route) return {};
  return Object.fromEntries(Object.entries(route).filter(([key]) => !IMPORTED_ROUTE_MEMBERS.has(key)));
}
