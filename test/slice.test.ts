import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { analyticsRecords } from './support/analytics.ts';
import { as, call, form } from './support/http.ts';
import { adminToken, demoToken, tokenFor } from './support/oauth.ts';
import { aws, portico } from './support/platform.ts';
import { eventually } from './support/wait.ts';

describe('the vertical slice: console → token → gateway → upstream → analytics', () => {
  it('creates an app, gets it a token, calls the echo API with it and records the call', async () => {
    const admin = await adminToken();
    const created = await as(admin).send('POST', '/console/v1/apps', {
      name: 'Slice test app',
      innerId: 'user-42',
      scopes: ['echo:read'],
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('x-request-id')).toBeTruthy();
    const [credential] = created.body.credentials;
    expect(credential.clientSecret).toMatch(/^sk_[A-Za-z0-9_-]{43}$/);
    expect(created.headers.get('location')).toBe(`/console/v1/apps/${created.body.appId}`);

    const fetched = await as(admin).get(`/console/v1/apps/${created.body.appId}`);
    expect(fetched.status).toBe(200);
    expect(fetched.text).not.toContain(credential.clientSecret);

    const token = await tokenFor(credential.clientId, credential.clientSecret);
    const header = decodeProtectedHeader(token);
    expect(header.alg).toBe('ES256');
    const jwks = await call('/.well-known/jwks.json');
    const jwk = jwks.body.keys.find((k: { kid: string }) => k.kid === header.kid);
    expect(jwk).toBeDefined();
    expect(jwk).not.toHaveProperty('d');
    const { payload } = await jwtVerify(token, await importJWK(jwk, 'ES256'), {
      issuer: portico().baseUrl,
      audience: 'portico',
    });
    expect(payload).toMatchObject({
      sub: created.body.appId,
      client_id: credential.clientId,
      scope: 'echo:read',
    });

    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const echoed = await call('/apis/echo/orders/42?expand=items', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        traceparent,
        'x-portico-app-id': 'app_spoofed',
      },
      body: JSON.stringify({ hello: 'world' }),
    });
    expect(echoed.status).toBe(200);
    expect(echoed.body).toMatchObject({
      method: 'POST',
      path: '/orders/42',
      query: { expand: 'items' },
      body: '{"hello":"world"}',
    });
    expect(echoed.body.headers).toMatchObject({
      'x-portico-app-id': created.body.appId,
      'x-portico-client-id': credential.clientId,
      'x-portico-inner-id': 'user-42',
      'x-portico-scopes': 'echo:read',
    });
    expect(echoed.body.headers.authorization).toBeUndefined();
    expect(echoed.body.headers.traceparent).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
    expect(echoed.headers.get('server')).toBeNull();
    const requestId = echoed.headers.get('x-request-id');

    const record = await eventually(async () =>
      (await analyticsRecords()).find((r) => r.requestId === requestId),
    );
    expect(record).toMatchObject({
      kind: 'call',
      api: 'echo',
      appId: created.body.appId,
      clientId: credential.clientId,
      method: 'POST',
      status: 200,
      traceId: '0af7651916cd43dd8448eb211c80319c',
      bytesIn: 17,
    });
    expect(JSON.stringify(record)).not.toContain(token);

    const minute = record.timestamp.slice(0, 16);
    const aggregate = await eventually(async () => {
      const { Item } = await aws().document.send(
        new GetCommand({
          TableName: 'portico-AnalyticsTable',
          Key: { pk: `calls#app=${created.body.appId}`, sk: `MIN#${minute}` },
        }),
      );
      return Item;
      // The aggregator gathers records for up to 10 s (its batching window).
    }, 60_000);
    expect(aggregate.counters.count).toBeGreaterThanOrEqual(1);
  }, 90_000);

  it('accepts client_secret_post as well as HTTP Basic, and publishes RFC 8414 metadata', async () => {
    const { demo, baseUrl } = portico();
    const posted = await call(
      '/oauth2/token',
      form({ grant_type: 'client_credentials', client_id: demo.clientId, client_secret: demo.clientSecret }),
    );
    expect(posted.status).toBe(200);
    expect(posted.headers.get('cache-control')).toBe('no-store');
    const metadata = await call('/.well-known/oauth-authorization-server');
    expect(metadata.body).toMatchObject({
      issuer: baseUrl,
      token_endpoint: `${baseUrl}/oauth2/token`,
      jwks_uri: `${baseUrl}/.well-known/jwks.json`,
    });
    const openapi = await call('/openapi.json');
    expect(openapi.body.openapi).toMatch(/^3\.1\./);
    expect(openapi.body.servers).toEqual([{ url: baseUrl }]);
  });

  it('relays upstream failures and answers 504 when the upstream hangs past the API timeout', async () => {
    const token = await demoToken();
    const failing = await as(token).get('/apis/echo/status/503');
    expect(failing.status).toBe(503);
    const slow = await as(token).get('/apis/echo/delay/7000');
    expect(slow.status).toBe(504);
    expect(slow.headers.get('content-type')).toBe('application/problem+json');
    expect(slow.body.type).toBe('urn:portico:problem:upstream-timeout');
  });
});
