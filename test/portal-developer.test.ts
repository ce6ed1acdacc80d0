import { beforeAll, describe, expect, it } from 'vitest';
import { as, call, form } from './support/http.ts';
import { demoToken, tokenFor } from './support/oauth.ts';
import { portico, uniqueName } from './support/platform.ts';
import { webSession } from './support/web-session.ts';

/** A third-party developer's self-service through the portal's API, and what it must never allow. */
const newDeveloper = async () => {
  const username = uniqueName('dev').toLowerCase();
  const password = `pw-${uniqueName('secret')}`;
  const signedUp = await call('/v1/signup', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Ann Example', email: `${username}@example.com`, username, password }),
  });
  expect(signedUp.status, signedUp.text).toBe(201);
  return { username, password, developerId: signedUp.body.developerId as string };
};

describe('a developer in the portal', () => {
  let operator: ReturnType<typeof as>;

  beforeAll(async () => {
    operator = as((await webSession(portico().operator)).access_token);
  });

  it('signs up, creates an app (secrets shown once), applies for echo, is approved, and calls it', async () => {
    const person = await newDeveloper();
    const session = await webSession(person);
    expect(session.scope).toBe('portal');
    const me = as(session.access_token);
    expect((await me.get('/v1/me')).body).toMatchObject({
      username: person.username,
      developerId: person.developerId,
      developerStatus: 'active',
    });

    const created = await me.send('POST', '/v1/me/apps', { name: 'Ann’s shop' });
    expect(created.status, created.text).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const production = created.body.credentials.find(
      (c: { environment: string }) => c.environment === 'production',
    );
    const sandbox = created.body.credentials.find(
      (c: { environment: string }) => c.environment === 'sandbox',
    );
    expect(production.clientSecret).toMatch(/^sk_/);
    expect(sandbox.clientSecret).toMatch(/^sk_/);
    const shown = await me.get(`/v1/me/apps/${created.body.appId}`);
    expect(shown.text).not.toContain(production.clientSecret);
    expect(shown.body.scopes).toEqual([]);

    const applied = await me.send('POST', `/v1/me/apps/${created.body.appId}/access-requests`, {
      apiName: 'echo',
      note: 'For order lookups',
    });
    expect(applied.status, applied.text).toBe(201);
    expect(applied.body).toMatchObject({ status: 'pending', scopes: ['echo:read'] });
    const twice = await me.send('POST', `/v1/me/apps/${created.body.appId}/access-requests`, {
      apiName: 'echo',
    });
    expect(twice.status).toBe(409);

    const queue = await operator.get('/console/v1/access-requests?status=pending');
    expect(queue.body.items.map((r: { requestId: string }) => r.requestId)).toContain(applied.body.requestId);
    const approved = await operator.send(
      'POST',
      `/console/v1/access-requests/${applied.body.requestId}/approve`,
    );
    expect(approved.status, approved.text).toBe(200);
    expect(
      (await operator.send('POST', `/console/v1/access-requests/${applied.body.requestId}/reject`)).status,
    ).toBe(409);

    // The only production credential revoked, another is added, its secret shown once, and it works.
    expect(
      (await me.send('DELETE', `/v1/me/apps/${created.body.appId}/credentials/${production.clientId}`))
        .status,
    ).toBe(204);
    const added = await me.send('POST', `/v1/me/apps/${created.body.appId}/credentials`, {
      environment: 'production',
    });
    expect(added.status, added.text).toBe(201);
    expect(added.body).toMatchObject({
      environment: 'production',
      clientSecret: expect.stringMatching(/^sk_/),
    });
    expect((await me.get(`/v1/me/apps/${created.body.appId}`)).text).not.toContain(added.body.clientSecret);
    expect(
      (await me.send('POST', `/v1/me/apps/${created.body.appId}/credentials`, { environment: 'staging' }))
        .status,
    ).toBe(400);

    const inbox = await me.get('/v1/me/access-requests');
    expect(inbox.body.items[0]).toMatchObject({ requestId: applied.body.requestId, status: 'approved' });
    const token = await tokenFor(added.body.clientId, added.body.clientSecret);
    const called = await as(token).get('/apis/echo/hello');
    expect(called.status, called.text).toBe(200);

    const audit = await operator.get('/console/v1/audit?limit=50');
    const actions = audit.body.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['developer.sign-up', 'app.create', 'access-request.approve']),
    );
  });

  it('asks for a rate-limit plan, which approval sets on the app beside its scopes', async () => {
    const me = as((await webSession(await newDeveloper())).access_token);
    const created = await me.send('POST', '/v1/me/apps', { name: 'Busy shop' });
    const requests = `/v1/me/apps/${created.body.appId}/access-requests`;
    const tooBig = await me.send('POST', requests, {
      apiName: 'echo',
      rateLimits: { appApi: { limit: 2_000_000, windowSeconds: 60 } },
    });
    expect(tooBig.status).toBe(400);
    expect(JSON.stringify(tooBig.body.errors)).toContain('/rateLimits/appApi/limit');
    const plan = { appApi: { limit: 600, windowSeconds: 60 } };
    const applied = await me.send('POST', requests, { apiName: 'echo', scopes: [], rateLimits: plan });
    expect(applied.status, applied.text).toBe(201);
    expect(applied.body).toMatchObject({ scopes: [], rateLimits: plan });
    const approved = await operator.send(
      'POST',
      `/console/v1/access-requests/${applied.body.requestId}/approve`,
    );
    expect(approved.status, approved.text).toBe(200);
    const app = await operator.get(`/console/v1/apps/${created.body.appId}`);
    expect(app.body).toMatchObject({ scopes: [], rateLimits: plan });
    // Scopes and a plan in one request: both granted together.
    const both = await me.send('POST', requests, {
      apiName: 'echo',
      scopes: ['echo:read'],
      rateLimits: { app: { limit: 20, windowSeconds: 1 } },
    });
    expect(both.status, both.text).toBe(201);
    await operator.send('POST', `/console/v1/access-requests/${both.body.requestId}/approve`);
    expect((await operator.get(`/console/v1/apps/${created.body.appId}`)).body).toMatchObject({
      scopes: ['echo:read'],
      rateLimits: { ...plan, app: { limit: 20, windowSeconds: 1 } },
    });
  });

  it("cannot see, change or try another developer's app, nor use an app token or a taken username", async () => {
    const [ann, bob] = await Promise.all([newDeveloper(), newDeveloper()]);
    const annSession = as((await webSession(ann)).access_token);
    const bobSession = as((await webSession(bob)).access_token);
    const annApp = (await annSession.send('POST', '/v1/me/apps', { name: 'Ann app' })).body;
    const production = annApp.credentials[0].clientId;
    for (const [method, path] of [
      ['GET', `/v1/me/apps/${annApp.appId}`],
      ['POST', `/v1/me/apps/${annApp.appId}/sandbox-token`],
      ['POST', `/v1/me/apps/${annApp.appId}/credentials`],
      ['POST', `/v1/me/apps/${annApp.appId}/credentials/${production}/rotate`],
      ['DELETE', `/v1/me/apps/${annApp.appId}/credentials/${production}`],
    ] as const) {
      const answer = method === 'GET' ? await bobSession.get(path) : await bobSession.send(method, path);
      expect(answer.status, `${method} ${path}`).toBe(404);
    }
    const applied = await bobSession.send('POST', `/v1/me/apps/${annApp.appId}/access-requests`, {
      apiName: 'echo',
    });
    expect(applied.status).toBe(404);
    // A developer cannot pick their scopes: a body with scopes or an owner is refused.
    const scoped = await bobSession.send('POST', '/v1/me/apps', { name: 'x', scopes: ['console:admin'] });
    expect(scoped.status).toBe(400);
    // An app's own token is not a person's session; a session is not a console role.
    expect((await as(await demoToken()).get('/v1/me')).status).toBe(403);
    expect((await bobSession.get('/console/v1/apps')).status).toBe(403);
    const taken = await call('/v1/signup', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Other',
        email: 'o@example.com',
        username: ann.username,
        password: 'another long password',
      }),
    });
    expect(taken.status).toBe(409);
  });

  it('signs the web app in only to its own origin, and never by client credentials', async () => {
    const elsewhere = await call(
      `/oauth2/authorize?${new URLSearchParams({
        response_type: 'code',
        client_id: 'portico-web',
        redirect_uri: 'https://evil.example/callback',
        code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        code_challenge_method: 'S256',
      })}`,
    );
    expect(elsewhere.status).toBe(400);
    const noSecret = await call(
      '/oauth2/token',
      form({ grant_type: 'client_credentials', client_id: 'portico-web' }),
    );
    expect(noSecret.status).toBe(400);
    expect(noSecret.body.error).toBe('unauthorized_client');
  });
});
