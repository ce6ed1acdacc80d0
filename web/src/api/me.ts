import { apiFetch } from './client.ts';

export type ConsoleRole = 'viewer' | 'operator' | 'admin';

/** The signed-in person, as `GET /v1/me` describes them. */
export interface Me {
  userId: string;
  username: string;
  displayName: string;
  consoleRole?: ConsoleRole;
  developerId?: string;
}

/** One of the signed-in developer's apps. */
export interface MyApp {
  appId: string;
  name: string;
  scopes: string[];
  status: string;
}

/** A short-lived token of an app's sandbox credential. */
export interface SandboxToken {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}

export const fetchMe = (): Promise<Me> => apiFetch<Me>('/v1/me');

export const fetchMyApps = (): Promise<MyApp[]> =>
  apiFetch<{ items: MyApp[] }>('/v1/me/apps').then((answer) => answer.items);

export const fetchSandboxToken = (appId: string): Promise<SandboxToken> =>
  apiFetch<SandboxToken>(`/v1/me/apps/${encodeURIComponent(appId)}/sandbox-token`, { method: 'POST' });
