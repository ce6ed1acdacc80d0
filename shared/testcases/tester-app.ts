import type { App } from '../identity/model.ts';

/**
 * The platform's tester app: test cases call the gateway as this app, with a token minted for each run
 * carrying the API's scopes, so a case exercises authentication and scopes as a third party's call does.
 * It has no secret: nothing can get a token for it at the token endpoint.
 */
export const TESTER_APP: App = {
  appId: 'app_portico-tester-000000000',
  name: 'Portico test cases',
  description: 'Runs the scheduled test cases of the APIs',
  scopes: [],
  redirectUris: [],
  status: 'active',
  createdAt: '2026-12-04T00:00:00.000Z',
};

export const TESTER_CLIENT_IDS = { production: 'portico-tester', sandbox: 'portico-tester-sandbox' } as const;
