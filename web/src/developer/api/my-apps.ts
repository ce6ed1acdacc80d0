import { apiFetch } from '../../api/client.ts';
import type { RateLimitPlan } from '../../api/rate-limits.ts';

/** One of the signed-in developer's apps, as `GET /v1/me/apps` lists it. */
export interface AppSummary {
  appId: string;
  name: string;
  description?: string;
  scopes: string[];
  status: 'active' | 'disabled';
  createdAt: string;
}

export type Environment = 'production' | 'sandbox';

/** A credential as the app's page shows it: never its secret. */
export interface CredentialView {
  clientId: string;
  environment: Environment;
  status: string;
  createdAt: string;
}

export interface AppDetail extends AppSummary {
  redirectUris: string[];
  credentials: CredentialView[];
}

/** A credential with its secret, answered once when it is made. */
export interface IssuedCredential {
  clientId: string;
  clientSecret: string;
  environment: Environment;
}

export interface CreatedApp extends AppSummary {
  credentials: IssuedCredential[];
}

export interface NewApp {
  name: string;
  description?: string;
  redirectUris?: string[];
}

/** A new secret of a credential; the one it replaces keeps working until `previousSecretExpiresAt`. */
export interface RotatedSecret {
  clientId: string;
  clientSecret: string;
  previousSecretExpiresAt?: string;
}

export type AccessRequestStatus = 'pending' | 'approved' | 'rejected';

/** A request that an app may call an API (its scopes, a rate-limit plan, or both), decided by an operator. */
export interface AccessRequest {
  requestId: string;
  appId: string;
  appName: string;
  apiName: string;
  /** The scopes asked for that the app lacked; empty for a plan alone, or when the API requires none. */
  scopes: string[];
  /** The rate-limit plan asked for: approval sets these limits on the app. */
  rateLimits?: RateLimitPlan;
  note?: string;
  status: AccessRequestStatus;
  createdAt: string;
  decidedAt?: string;
  /** Why it was rejected. */
  reason?: string;
}

/**
 * What `POST /v1/me/apps/{appId}/access-requests` takes. Without `scopes` it asks for every scope of the
 * API the app lacks, or for none when `rateLimits` is given (the plan alone).
 */
export interface NewAccessRequest {
  apiName: string;
  scopes?: string[];
  rateLimits?: RateLimitPlan;
  note?: string;
}

export interface Page<T> {
  items: T[];
  next?: string;
}

const appPath = (appId: string) => `/v1/me/apps/${encodeURIComponent(appId)}`;

export const listApps = (): Promise<AppSummary[]> =>
  apiFetch<{ items: AppSummary[] }>('/v1/me/apps').then((answer) => answer.items);

export const createApp = (app: NewApp): Promise<CreatedApp> =>
  apiFetch<CreatedApp>('/v1/me/apps', { method: 'POST', json: app });

export const getApp = (appId: string): Promise<AppDetail> => apiFetch<AppDetail>(appPath(appId));

export const rotateCredential = (appId: string, clientId: string): Promise<RotatedSecret> =>
  apiFetch<RotatedSecret>(`${appPath(appId)}/credentials/${encodeURIComponent(clientId)}/rotate`, {
    method: 'POST',
  });

/** Another credential of the app, its secret shown this once. */
export const addCredential = (appId: string, environment: Environment): Promise<IssuedCredential> =>
  apiFetch<IssuedCredential>(`${appPath(appId)}/credentials`, { method: 'POST', json: { environment } });

export const revokeCredential = (appId: string, clientId: string): Promise<void> =>
  apiFetch<void>(`${appPath(appId)}/credentials/${encodeURIComponent(clientId)}`, { method: 'DELETE' });

export const requestAccess = (appId: string, request: NewAccessRequest): Promise<AccessRequest> =>
  apiFetch<AccessRequest>(`${appPath(appId)}/access-requests`, { method: 'POST', json: request });

export function listAccessRequests(cursor?: string, limit = 25): Promise<Page<AccessRequest>> {
  const query = new URLSearchParams({ limit: String(limit), ...(cursor ? { cursor } : {}) });
  return apiFetch<Page<AccessRequest>>(`/v1/me/access-requests?${query}`);
}

/** What `POST /v1/me/apps/{appId}/token` answers: a short-lived production token of the app. */
export interface AppToken {
  access_token: string;
  expires_in: number;
  scope: string;
}

export const fetchAppToken = (appId: string): Promise<AppToken> =>
  apiFetch<AppToken>(`${appPath(appId)}/token`, { method: 'POST' });
