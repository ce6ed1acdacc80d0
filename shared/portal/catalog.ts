import type { ApiDefinition } from '../gateway/api-definition.ts';

/** An API as the catalog lists it for third parties. */
export interface CatalogEntry {
  name: string;
  version: string;
  description?: string;
  status: 'published' | 'deprecated';
  sunsetAt?: string;
  authModes: ApiDefinition['authModes'];
  requiredScopes: string[];
  /** The path of its OpenAPI document on the platform. */
  document: string;
}

const statusOf = (api: ApiDefinition) => api.lifecycle?.status ?? 'published';

/** Whether third parties see the API: drafts are not there for them, retired APIs are gone. */
export const isListed = (api: ApiDefinition) => {
  const status = statusOf(api);
  return status === 'published' || status === 'deprecated';
};

/** The published and deprecated APIs, by name. */
export function catalogOf(apis: ApiDefinition[]): CatalogEntry[] {
  return apis
    .filter(isListed)
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((api) => ({
      name: api.name,
      version: api.version,
      ...(api.description ? { description: api.description } : {}),
      status: statusOf(api) as CatalogEntry['status'],
      ...(api.lifecycle?.sunsetAt ? { sunsetAt: api.lifecycle.sunsetAt } : {}),
      authModes: api.authModes,
      requiredScopes: api.requiredScopes,
      document: `/v1/apis/${api.name}/openapi.json`,
    }));
}
