import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { as, basic, call, form, rawGet } from './support/http.ts';
import { adminToken, demoToken } from './support/oauth.ts';
import { aws, portico } from './support/platform.ts';

const PROBLEM = 'application/problem+json';

/** Keys of the identity table's items, apart from the failed-authentication counters that throttle guessing. */
async function identityItems(): Promise<string[]> {
  const { Items = [] } = await aws().dynamo.send(
    new ScanCommand({ TableName: 'portico-IdentityTable', ProjectionExpression: 'pk, sk' }),
  );
  return Items.map((item) => `${item.pk?.S} ${item.sk?.S}`)
    .filter((key) => !key.startsWith('AUTHFAIL#'))
    .sort();
}

describe('bad input gets a 4xx answer and changes nothing', () => {
  let admin: string;
  let demo: string;
  let before: string[];
  beforeAll(async () => {
    admin = await adminToken();
    demo = await demoToken();
    before = await identityItems();
  });

  describe('POST /oauth2/token (RFC 6749 errors, with problem members)', () => {
    it.each([
      [
        'wrong secret',
        () =>
          form(
            { grant_type: 'client_credentials' },
            { authorization: basic(portico().demo.clientId, 'sk_wrong') },
          ),
        401,
        'invalid_client',
      ],
      [
        'unknown client',
        () => form({ grant_type: 'client_credentials' }, { authorization: basic('ak_nobody', 'sk_x') }),
        401,
        'invalid_client',
      ],
      ['no credentials', () => form({ grant_type: 'client_credentials' }), 401, 'invalid_client'],
      [
        'unsupported grant',
        () =>
          form(
            { grant_type: 'password' },
            { authorization: basic(portico().demo.clientId, portico().demo.clientSecret) },
          ),
        400,
        'unsupported_grant_type',
      ],
      [
        'missing grant_type',
        () => form({}, { authorization: basic(portico().demo.clientId, portico().demo.clientSecret) }),
        400,
        'invalid_request',
      ],
      [
        'scope beyond the grant',
        () =>
          form(
            { grant_type: 'client_credentials', scope: 'console:admin' },
            { authorization: basic(portico().demo.clientId, portico().demo.clientSecret) },
          ),
        400,
        'invalid_scope',
      ],
      [
        'repeated parameter',
        () => ({
          ...form({}),
          body: 'grant_type=client_credentials&grant_type=client_credentials',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            authorization: basic(portico().demo.clientId, portico().demo.clientSecret),
          },
        }),
        400,
        'invalid_request',
      ],
      [
        'JSON instead of a form',
        () => ({
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"grant_type":"client_credentials"}',
        }),
        415,
        'invalid_request',
      ],
    ])('%s', async (_name, init, status, error) => {
      const response = await call('/oauth2/token', init());
      expect(response.status).toBe(status);
      expect(response.body).toMatchObject({ error, status, type: `urn:portico:problem:oauth:${error}` });
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('x-request-id')).toBeTruthy();
      if (status === 401 && init().headers && 'authorization' in (init().headers as object)) {
        expect(response.headers.get('www-authenticate')).toMatch(/^Basic/);
      }
    });
  });

  describe('POST /console/v1/apps', () => {
    const post = (body: string, headers: Record<string, string> = {}) =>
      call('/console/v1/apps', {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json', ...headers },
        body,
      });

    it.each([
      ['malformed JSON', '{"name": ', {}, 400, 'malformed-body'],
      ['a JSON array', '[{"name":"x"}]', {}, 400, 'malformed-body'],
      [
        'wrong content type',
        'name=x',
        { 'content-type': 'application/x-www-form-urlencoded' },
        415,
        'unsupported-media-type',
      ],
      ['missing name', '{"scopes":["echo:read"]}', {}, 400, 'validation-failed'],
      ['blank name', '{"name":"   "}', {}, 400, 'validation-failed'],
      ['unknown member', '{"name":"x","secret":"mine"}', {}, 400, 'validation-failed'],
      ['null member', '{"name":"x","innerId":null}', {}, 400, 'validation-failed'],
      ['malformed scope', '{"name":"x","scopes":["has space"]}', {}, 400, 'validation-failed'],
      [
        'oversized body',
        JSON.stringify({ name: 'x', description: 'd'.repeat(1024 * 1024) }),
        {},
        413,
        'payload-too-large',
      ],
      ['no token', '{"name":"x"}', { authorization: '' }, 401, 'unauthorized'],
      [
        'a forged token',
        '{"name":"x"}',
        { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' },
        401,
        'invalid-token',
      ],
    ])('%s', async (_name, body, headers, status, code) => {
      const response = await post(body, headers);
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toBe(PROBLEM);
      expect(response.body).toMatchObject({ type: `urn:portico:problem:${code}`, status });
      expect(response.body.instance).toBe(response.headers.get('x-request-id'));
    });

    it('lists every violation at once', async () => {
      const response = await post('{"scopes":"echo:read","extra":1}');
      expect(response.body.errors).toEqual(
        expect.arrayContaining([
          { pointer: '/name', message: 'is required' },
          { pointer: '/extra', message: 'is not allowed' },
          expect.objectContaining({ pointer: '/scopes' }),
        ]),
      );
    });

    it('refuses an app token without the console scope with 403', async () => {
      const response = await post('{"name":"x"}', { authorization: `Bearer ${demo}` });
      expect(response.status).toBe(403);
      expect(response.body.type).toBe('urn:portico:problem:forbidden');
    });

    it('answers 404 for an unknown app', async () => {
      const response = await as(admin).get('/console/v1/apps/app_doesnotexist');
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toBe(PROBLEM);
    });
  });

  describe('the gateway', () => {
    it.each([
      ['no token', '/apis/echo/x', undefined, 401, 'unauthorized'],
      ['a garbage token', '/apis/echo/x', 'Bearer not.a.jwt', 401, 'invalid-token'],
      ['an unknown API', '/apis/nope/x', 'demo', 404, 'unknown-api'],
      ['an invalid API name', '/apis/NOT_VALID/x', 'demo', 404, 'unknown-api'],
      ['a token without the API scope', '/apis/echo/x', 'admin', 403, 'forbidden'],
    ])('%s', async (_name, path, auth, status, code) => {
      const authorization = auth === 'demo' ? `Bearer ${demo}` : auth === 'admin' ? `Bearer ${admin}` : auth;
      const response = await call(path, { headers: authorization ? { authorization } : {} });
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toBe(PROBLEM);
      expect(response.body.type).toBe(`urn:portico:problem:${code}`);
    });
  });

  it('refuses a path that climbs out of the upstream base, sent without client-side normalisation', async () => {
    for (const path of ['/apis/echo/a/%2e%2e/admin', '/apis/echo/a/../../admin', '/apis/echo/a%2fb']) {
      const response = await rawGet(path, { authorization: `Bearer ${demo}` });
      expect(response.status, path).toBe(400);
      expect(response.body.type).toBe('urn:portico:problem:bad-request');
    }
  });

  describe('everything else', () => {
    it('answers an unknown API path, or anything but a page read elsewhere, with a 404 problem', async () => {
      for (const [method, path] of [
        ['GET', '/v1/not-a-route'],
        ['GET', '/console/v1/nope'],
        ['POST', '/no/such/thing'],
        ['DELETE', '/docs'],
      ] as const) {
        const unknown = await call(path, { method });
        expect(unknown.status, path).toBe(404);
        expect(unknown.headers.get('content-type')).toBe(PROBLEM);
        expect(unknown.body.type).toBe('urn:portico:problem:not-found');
      }
    });

    it('gives any other page read to the web app, which routes it in the browser', async () => {
      const page = await call('/no/such/thing');
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      const missingAsset = await call('/assets/no-such-file.js');
      expect(missingAsset.status).toBe(404);
      for (const traversal of [
        '/..%2f..%2fpackage.json',
        '/%2e%2e/%2e%2e/package.json',
        '/assets/..%2f..%2f..%2fpackage.json',
      ])
        expect((await call(traversal)).text, traversal).not.toContain('"devDependencies"');
    });
  });

  it('stored nothing for any of it', async () => {
    expect(await identityItems()).toEqual(before);
  });
});
