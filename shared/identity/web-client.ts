import { CONSOLE_ROLES, roleScope } from '../console/roles.ts';
import { PORTAL_SCOPE } from '../kernel/scopes.ts';
import type { App, StoredCredential } from './model.ts';

/** The client id of the platform's own web app (developer portal and console). */
export const WEB_CLIENT_ID = 'portico-web';
export const WEB_APP_ID = 'app_portico-web-0000000000';

/**
 * The web app as an OAuth client: public (no secret, PKCE), first-party (a person gets their own
 * account's scopes, no consent step), redirecting only to `/callback` on the platform's own origin.
 * It holds every scope a person's session can carry, so a refresh never loses one the user has.
 */
export function webClient(origin: string, now: Date): { app: App; credential: StoredCredential } {
  const createdAt = now.toISOString();
  return {
    app: {
      appId: WEB_APP_ID,
      name: 'Portico',
      description: 'The developer portal and console',
      firstParty: true,
      scopes: [PORTAL_SCOPE, ...CONSOLE_ROLES.map(roleScope)],
      redirectUris: [`${new URL(origin).origin}/callback`],
      status: 'active',
      createdAt,
    },
    credential: {
      clientId: WEB_CLIENT_ID,
      appId: WEB_APP_ID,
      environment: 'production',
      secrets: [],
      public: true,
      status: 'active',
      createdAt,
    },
  };
}
