import { beforeAll, describe, expect, it } from 'vitest';
import { consoleToken, createApp } from './support/console.ts';
import { as } from './support/http.ts';
import { adminToken, tokenFor } from './support/oauth.ts';

/** Console roles (viewer < operator < admin) on every route, and an audit entry for every write. */
describe('console roles and audit', () => {
  let admin: string;
  let operator: string;
  let viewer: string;

  beforeAll(async () => {
    admin = await adminToken();
    operator = await consoleToken(admin, 'operator');
    viewer = await consoleToken(admin, 'viewer');
  });

  it('lets a viewer read but not write', async () => {
    expect((await as(viewer).get('/console/v1/apps')).status).toBe(200);
    expect((await as(viewer).get('/console/v1/audit')).status).toBe(200);
    for (const [method, path, body] of [
      ['POST', '/console/v1/apps', { name: 'nope' }],
      ['POST', '/console/v1/developers', { name: 'D', email: 'd@example.com' }],
      ['PATCH', '/console/v1/apps/app_x', { name: 'x' }],
      ['DELETE', '/console/v1/apps/app_x', undefined],
      ['POST', '/console/v1/apps/app_x/tokens/revoke', undefined],
    ] as const) {
      const response = await as(viewer).send(method, path, body);
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(response.body.requiredRole).toMatch(/operator|admin/);
    }
  });

  it('lets an operator manage developers and apps, but only an admin delete them or grant console scopes', async () => {
    const developer = await as(operator).send('POST', '/console/v1/developers', {
      name: 'Acme',
      email: 'Dev@Acme.example',
    });
    expect(developer.status).toBe(201);
    expect(developer.body.email).toBe('dev@acme.example');
    const app = await as(operator).send('POST', '/console/v1/apps', {
      name: 'Acme shop',
      developerId: developer.body.developerId,
      scopes: ['echo:read'],
    });
    expect(app.status).toBe(201);
    const appId = app.body.appId as string;

    expect(
      (await as(operator).send('POST', '/console/v1/apps', { name: 'x', scopes: ['console:admin'] })).status,
    ).toBe(403);
    expect(
      (await as(operator).send('PATCH', `/console/v1/apps/${appId}`, { description: 'Shop front' })).status,
    ).toBe(200);
    const sandbox = await as(operator).send('POST', `/console/v1/apps/${appId}/credentials`, {
      environment: 'sandbox',
    });
    expect(sandbox.status).toBe(201);
    expect(sandbox.body.clientId).toMatch(/^ak_test_/);
    const listed = await as(viewer).get(`/console/v1/apps/${appId}/credentials`);
    expect(listed.body.items).toHaveLength(2);
    expect(JSON.stringify(listed.body)).not.toMatch(/verifier|ciphertext|sk_/);

    expect(
      (await as(operator).send('DELETE', `/console/v1/developers/${developer.body.developerId}`)).status,
    ).toBe(403);
    expect(
      (await as(admin).send('DELETE', `/console/v1/developers/${developer.body.developerId}`)).status,
    ).toBe(409);
    expect((await as(operator).send('DELETE', `/console/v1/apps/${appId}`)).status).toBe(403);
    expect((await as(admin).send('DELETE', `/console/v1/apps/${appId}`)).status).toBe(204);
    expect((await as(admin).get(`/console/v1/apps/${appId}`)).status).toBe(404);
    expect(
      (await as(admin).send('DELETE', `/console/v1/developers/${developer.body.developerId}`)).status,
    ).toBe(204);

    const audit = await as(viewer).get('/console/v1/audit?limit=50');
    const mine = audit.body.items.filter((e: any) =>
      [appId, developer.body.developerId, sandbox.body.clientId].includes(e.target.id),
    );
    expect(mine.map((e: any) => e.action).sort()).toEqual(
      [
        'app.create',
        'app.delete',
        'app.update',
        'credential.create',
        'developer.create',
        'developer.delete',
      ].sort(),
    );
    const update = mine.find((e: any) => e.action === 'app.update');
    expect(update).toMatchObject({
      actor: { role: 'operator' },
      before: { name: 'Acme shop' },
      after: { description: 'Shop front' },
    });
    expect(JSON.stringify(audit.body)).not.toMatch(/sk_[A-Za-z0-9_-]{20}/);
  });

  it('stops a disabled app at once: no new tokens, and its existing tokens are refused by the gateway', async () => {
    const { appId, clientId, clientSecret } = await createApp(admin, {
      name: 'Soon disabled',
      scopes: ['echo:read'],
    });
    const token = await tokenFor(clientId, clientSecret);
    const gateway = async () => (await as(token).get('/apis/echo/x')).status;
    expect(await gateway()).toBe(200);
    expect(
      (await as(operator).send('PATCH', `/console/v1/apps/${appId}`, { status: 'disabled' })).status,
    ).toBe(200);
    await expect(tokenFor(clientId, clientSecret)).rejects.toThrow(/401/);
    await expect.poll(gateway, { timeout: 10_000, interval: 500 }).toBe(401);
  });

  it('lists and revokes an app token through the console', async () => {
    const created = await createApp(admin, { name: 'Token owner', scopes: ['echo:read'] });
    const token = await tokenFor(created.clientId, created.clientSecret);
    const tokens = await as(viewer).get(`/console/v1/apps/${created.appId}/tokens`);
    expect(tokens.body.items).toHaveLength(1);
    const { jti } = tokens.body.items[0];
    expect(
      (await as(operator).send('DELETE', `/console/v1/apps/${created.appId}/tokens/${jti}`)).status,
    ).toBe(204);
    await expect
      .poll(async () => (await as(token).get('/apis/echo/x')).status, { timeout: 10_000 })
      .toBe(401);
  });

  it('pages through apps with an opaque cursor and refuses a forged one', async () => {
    const first = await as(viewer).get('/console/v1/apps?limit=1');
    expect(first.body.items).toHaveLength(1);
    expect(first.body.next).toBeDefined();
    const second = await as(viewer).get(`/console/v1/apps?limit=1&cursor=${first.body.next}`);
    expect(second.body.items[0].appId).not.toBe(first.body.items[0].appId);
    expect((await as(viewer).get('/console/v1/apps?cursor=not-a-cursor')).status).toBe(400);
    expect((await as(viewer).get('/console/v1/apps?limit=1000')).status).toBe(400);
  });
});
