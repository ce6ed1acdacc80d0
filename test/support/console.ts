import { expect } from 'vitest';
import { as } from './http.ts';
import { tokenFor } from './oauth.ts';

/** An app made through the console, with its first credential. */
export interface CreatedApp {
  appId: string;
  clientId: string;
  clientSecret: string;
}

/** `POST /console/v1/apps` as `token` (an admin's or operator's); fails the test unless it is created. */
export async function createApp(token: string, app: Record<string, unknown>): Promise<CreatedApp> {
  const created = await as(token).send('POST', '/console/v1/apps', app);
  expect(created.status, `creating app ${JSON.stringify(app.name)}: ${created.text}`).toBe(201);
  const [{ clientId, clientSecret }] = created.body.credentials;
  return { appId: created.body.appId, clientId, clientSecret };
}

/** A token of a new app holding `console:<role>`, created by `adminToken`. */
export async function consoleToken(
  adminToken: string,
  role: 'admin' | 'operator' | 'viewer',
  name = `${role} client`,
): Promise<string> {
  const { clientId, clientSecret } = await createApp(adminToken, { name, scopes: [`console:${role}`] });
  return tokenFor(clientId, clientSecret);
}
