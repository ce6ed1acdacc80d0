import { apiFetch } from '../../api/client.ts';
import type { Page, PageRequest } from './page.ts';
import { queryString, segment } from './query-string.ts';

export interface Developer {
  developerId: string;
  name: string;
  email: string;
  company?: string;
  /** `pending`: signed up in the portal, waiting for an operator. */
  status: 'active' | 'pending' | 'disabled';
  createdAt: string;
  updatedAt?: string;
}

/** Activates a developer account (a pending sign-up, or one disabled before) or disables it. */
export const setDeveloperStatus = (developerId: string, status: 'active' | 'disabled'): Promise<Developer> =>
  apiFetch<Developer>(`/console/v1/developers/${segment(developerId)}`, {
    method: 'PATCH',
    json: { status },
  });

export interface App {
  appId: string;
  name: string;
  description?: string;
  developerId?: string;
  scopes: string[];
  redirectUris: string[];
  firstParty?: boolean;
  status: 'active' | 'disabled';
  createdAt: string;
  updatedAt?: string;
}

/** A credential as the console shows it: never a secret (`CredentialSummary`). */
export interface CredentialSummary {
  clientId: string;
  environment: 'production' | 'sandbox';
  status: 'active' | 'disabled';
  createdAt: string;
  secrets: { id: string; createdAt: string; expiresAt?: string }[];
}

export interface AppDetails extends App {
  credentials: CredentialSummary[];
}

/** What the platform keeps about an access token it issued (never the token). */
export interface AccessTokenRecord {
  jti: string;
  appId: string;
  clientId: string;
  subject: string;
  scope: string;
  grant: string;
  /** Epoch seconds. */
  issuedAt: number;
  /** Epoch seconds. */
  expiresAt: number;
  maxUses?: number;
  uses?: number;
  revokedAt?: string;
}

export const fetchDevelopers = (page: PageRequest): Promise<Page<Developer>> =>
  apiFetch<Page<Developer>>(`/console/v1/developers${queryString({ ...page })}`);

export const fetchApps = (page: PageRequest, developerId?: string): Promise<Page<App>> =>
  apiFetch<Page<App>>(`/console/v1/apps${queryString({ ...page, developerId })}`);

export const fetchApp = (appId: string): Promise<AppDetails> =>
  apiFetch<AppDetails>(`/console/v1/apps/${segment(appId)}`);

export const fetchAppTokens = (appId: string, page: PageRequest): Promise<Page<AccessTokenRecord>> =>
  apiFetch<Page<AccessTokenRecord>>(`/console/v1/apps/${segment(appId)}/tokens${queryString({ ...page })}`);
