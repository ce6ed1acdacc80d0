import { beforeAll, describe, expect, it } from 'vitest';
import { consoleToken, createApp } from './support/console.ts';
import { as } from './support/http.ts';
import { adminToken, clientCredentials } from './support/oauth.ts';
import { portico } from './support/platform.ts';
import { untilStatus } from './support/wait.ts';

/**
 * The rule "only admins change apps that hold console scopes" on every route that touches such an
 * app, aimed at the target of the write and not only the route; and disabled developers.
 */
describe('console privilege boundaries', () => {
  let admin: string;
  let operator: string;

  beforeAll(async () => {
    admin = await adminToken();
    operator = await consoleToken(admin, 'operator');
  });

  it('refuses an operator every write aimed at an app that holds a console scope', async () => {
    for (const role of ['admin', 'viewer', 'operator']) {
      const target = await createApp(admin, { name: `${role} target`, scopes: [`console:${role}`] });
      const base = `/console/v1/apps/${target.appId}`;
      const tokens = (await as(admin).get(`${base}/tokens`)).body.items;
      for (const [method, path, body] of [
        ['POST', `${base}/credentials`, {}],
        ['POST', `${base}/credentials`, { environment: 'production' }],
        ['POST', `${base}/credentials`, { environment: 'sandbox' }],
        ['POST', `${base}/credentials/${target.clientId}/rotate`, {}],
        ['POST', `${base}/credentials/${target.clientId}/rotate`, undefined],
        ['DELETE', `${base}/credentials/${target.clientId}`, undefined],
        ['PATCH', base, { name: 'taken over' }],
        ['PATCH', base, { rateLimits: { app: { limit: 1, windowSeconds: 60 } } }],
        ['PATCH', base, { status: 'disabled' }],
        ['DELETE', base, undefined],
        ['POST', `${base}/tokens/revoke`, undefined],
        ['DELETE', `${base}/tokens/${tokens[0]?.jti ?? 'tok_x'}`, undefined],
      ] as const) {
        const response = await as(operator).send(method, path, body);
        expect(response.status, `${role}: ${method} ${path} ${JSON.stringify(body)}`).toBe(403);
      }
      // Nothing changed: the target's only credential still works with its original secret.
      expect((await clientCredentials(target.clientId, target.clientSecret)).status).toBe(200);
      const after = await as(admin).get(base);
      expect(after.body.credentials).toHaveLength(1);
      expect(after.body.status).toBe('active');
    }
  });

  it('still lets an operator manage ordinary apps', async () => {
    const plain = await createApp(admin, { name: 'plain app', scopes: ['echo:read'] });
    const base = `/console/v1/apps/${plain.appId}`;
    expect((await as(operator).send('POST', `${base}/credentials`, {})).status).toBe(201);
    expect((await as(operator).send('POST', `${base}/credentials/${plain.clientId}/rotate`, {})).status).toBe(
      200,
    );
    expect((await as(operator).send('PATCH', base, { name: 'renamed' })).status).toBe(200);
    expect((await as(operator).send('POST', `${base}/tokens/revoke`)).status).toBe(200);
  });

  it('never lets a sandbox credential carry a console scope', async () => {
    const target = await createApp(admin, {
      name: 'admin with sandbox',
      scopes: ['console:admin', 'echo:read'],
    });
    const sandbox = await as(admin).send('POST', `/console/v1/apps/${target.appId}/credentials`, {
      environment: 'sandbox',
    });
    expect(sandbox.status).toBe(201);
    const token = await clientCredentials(sandbox.body.clientId, sandbox.body.clientSecret);
    expect(token.status).toBe(200);
    expect(token.body.scope).toBe('echo:read');
    const asked = await clientCredentials(sandbox.body.clientId, sandbox.body.clientSecret, {
      scope: 'console:admin',
    });
    expect(asked.status).toBe(400);
    expect(asked.body.error).toBe('invalid_scope');
    expect((await as(token.body.access_token).get('/console/v1/apps')).status).toBe(403);
  });

  it("refuses an operator changing the developer who owns an admin client, and a disabled developer's apps", async () => {
    const developer = await as(admin).send('POST', '/console/v1/developers', {
      name: 'Owner',
      email: `owner-${Date.now()}@example.com`,
    });
    const developerId = developer.body.developerId as string;
    const adminApp = await createApp(admin, { name: 'owned admin', scopes: ['console:admin'], developerId });
    expect(
      (await as(operator).send('PATCH', `/console/v1/developers/${developerId}`, { status: 'disabled' }))
        .status,
    ).toBe(403);
    expect((await clientCredentials(adminApp.clientId, adminApp.clientSecret)).status).toBe(200);

    const other = await as(admin).send('POST', '/console/v1/developers', {
      name: 'Third party',
      email: `third-${Date.now()}@example.com`,
    });
    const otherId = other.body.developerId as string;
    const app = await createApp(admin, {
      name: 'third-party app',
      scopes: ['echo:read'],
      developerId: otherId,
    });
    const before = (await clientCredentials(app.clientId, app.clientSecret)).body.access_token as string;
    const echo = (token: string) => as(token).get(`/apis/${portico().api}/hello`);
    expect((await echo(before)).status).toBe(200);

    const disabled = await as(operator).send('PATCH', `/console/v1/developers/${otherId}`, {
      status: 'disabled',
    });
    expect(disabled.status).toBe(200);
    const refused = await clientCredentials(app.clientId, app.clientSecret);
    expect(refused.status).toBe(401);
    expect(refused.body.error).toBe('invalid_client');
    await untilStatus(() => echo(before), 401, 15_000);

    expect(
      (await as(operator).send('PATCH', `/console/v1/developers/${otherId}`, { status: 'active' })).status,
    ).toBe(200);
    const restored = await clientCredentials(app.clientId, app.clientSecret);
    expect(restored.status).toBe(200);
    expect((await echo(restored.body.access_token)).status).toBe(200);
  });
});
