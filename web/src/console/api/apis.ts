import { apiFetch } from '../../api/client.ts';
import { segment } from './query-string.ts';
import { fetchTagged, type Tagged } from './tagged-fetch.ts';

export type LifecycleStatus = 'draft' | 'published' | 'deprecated' | 'retired';

/**
 * An API definition as the registry stores it (`StoredApiDefinition`). Only the members the console
 * shows are typed; the others are kept as they are when it is written back.
 */
export interface ApiDefinition {
  name: string;
  version?: string;
  description?: string;
  upstreams?: Record<string, unknown>[];
  timeoutMs?: number;
  authModes?: ('token' | 'signature')[];
  requiredScopes?: string[];
  lifecycle?: { status: LifecycleStatus; sunsetAt?: string; link?: string; deprecatedAt?: string };
  mock?: { enabled: boolean; rules?: unknown[] };
  partnerId?: string;
  revision?: number;
  updatedAt?: string;
  [member: string]: unknown;
}

export const fetchApis = (): Promise<ApiDefinition[]> =>
  apiFetch<{ items: ApiDefinition[] }>('/console/v1/apis').then((answer) => answer.items);

/** The definition and its revision (from the ETag), to write it back over. */
export const fetchApi = (name: string): Promise<Tagged<ApiDefinition>> =>
  fetchTagged<ApiDefinition>(`/console/v1/apis/${segment(name)}`);

/**
 * Writes the whole definition. With `revision` the write is conditional (`If-Match`); without, it
 * creates the API (or replaces it: the platform has no create-only condition).
 */
export const putApi = (
  name: string,
  definition: Record<string, unknown>,
  revision: string | undefined,
): Promise<Tagged<ApiDefinition>> =>
  fetchTagged<ApiDefinition>(`/console/v1/apis/${segment(name)}`, {
    method: 'PUT',
    json: definition,
    ...(revision !== undefined ? { ifMatch: revision } : {}),
  });
