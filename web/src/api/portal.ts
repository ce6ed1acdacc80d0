import type { OpenApiDocument } from '../docs/openapi.ts';
import { apiFetch } from './client.ts';

/** An API as `GET /v1/apis` lists it (shared/portal/catalog.ts on the platform). */
export interface CatalogEntry {
  name: string;
  version: string;
  description?: string;
  status: 'published' | 'deprecated';
  sunsetAt?: string;
  authModes: ('token' | 'signature')[];
  requiredScopes: string[];
  /** The path of its OpenAPI document on the platform. */
  document: string;
}

export const fetchCatalog = (): Promise<CatalogEntry[]> =>
  apiFetch<{ items: CatalogEntry[] }>('/v1/apis').then((answer) => answer.items);

/** The API's OpenAPI 3.1 document; an unknown API is a 404 ApiError. */
export const fetchApiDocument = (name: string): Promise<OpenApiDocument> =>
  apiFetch<OpenApiDocument>(`/v1/apis/${encodeURIComponent(name)}/openapi.json`);
