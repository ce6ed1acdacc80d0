import { beforeAll, describe, expect, it } from 'vitest';
import { registerApi } from './support/apis.ts';
import { as, basic, call, rawRequest } from './support/http.ts';
import { adminToken, demoToken } from './support/oauth.ts';
import { portico, uniqueName } from './support/platform.ts';
import { isAlive } from './support/runtime-process.ts';
import { type TestUpstream, useUpstreams } from './support/upstream.ts';

/** `{"name":"` + 0xFF 0xFE + `"}`: a JSON text whose string member is not UTF-8. */
const INVALID_UTF8_JSON = Buffer.concat([
  Buffer.from('{"name":"'),
  Buffer.from([0xff, 0xfe]),
  Buffer.from('"}'),
]);

let token: string;
let admin: string;

beforeAll(async () => {
  token = await demoToken();
  admin = await adminToken();
});

async function platformAnswers(): Promise<void> {
  expect((await call('/.well-known/jwks.json')).status).toBe(200);
  expect(isAlive(portico().pids.runtime)).toBe(true);
}

describe('odd request targets never take the local platform down', () => {
  it.each([
    '/apis/echo///',
    '/apis/echo//',
    '/apis/echo//x//y',
    '/apis/echo///x?a=1',
    '/apis/echo/%2F%2Fx',
    '//apis/echo/x',
    '//',
  ])('%s', async (path) => {
    const response = await rawRequest(path, { headers: { authorization: `Bearer ${token}` } });
    // The gateway may answer the call (200), refuse an empty segment (400), or not route the path at
    // all (404); an upstream failure is a 502. Never a reset, never another 5xx.
    expect([200, 400, 404, 502]).toContain(response.status);
    await platformAnswers();
  });

  it.each(['//', '///', '///x', '//x//y?a=1'])(
    'the demo upstream itself echoes %s, whatever the gateway lets through',
    async (path) => {
      const response = await rawRequest(path, { base: portico().upstreamUrl });
      expect(response.status).toBe(200);
      expect(JSON.parse(response.text).path).toBe(path.split('?')[0]);
      await platformAnswers();
    },
  );
});

describe('invalid UTF-8 in a JSON body is refused, never stored as U+FFFD', () => {
  async function developerNames(): Promise<string[]> {
    const names: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await as(admin).get(
        `/console/v1/developers?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(page.status).toBe(200);
      names.push(...page.body.items.map((d: { name: string }) => d.name));
      cursor = page.body.next;
    } while (cursor);
    return names.sort();
  }

  it('POST /console/v1/developers answers 400 malformed-body and creates nothing', async () => {
    const before = await developerNames();
    const body = Buffer.concat([
      Buffer.from('{"name":"Bad \u00e9'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('","email":"bad-utf8@example.com"}'),
    ]);
    const response = await rawRequest('/console/v1/developers', {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body,
    });
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(response.text)).toMatchObject({ type: 'urn:portico:problem:malformed-body' });
    expect(await developerNames()).toEqual(before);
  });

  it('POST /oauth2/token with a form that is not UTF-8 answers 400 invalid_request', async () => {
    const { clientId, clientSecret } = portico().demo;
    const response = await rawRequest('/oauth2/token', {
      method: 'POST',
      headers: {
        authorization: basic(clientId, clientSecret),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: Buffer.concat([Buffer.from('grant_type=client_credentials&scope=echo'), Buffer.from([0xff])]),
    });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text)).toMatchObject({ error: 'invalid_request' });
  });

  describe('through the gateway', () => {
    const startUpstream = useUpstreams();
    const name = uniqueName('utf8');
    let upstream: TestUpstream;

    beforeAll(async () => {
      upstream = await startUpstream();
      await registerApi(
        admin,
        name,
        {
          upstreams: [{ url: upstream.url }],
          timeoutMs: 3000,
          requiredScopes: ['echo:read'],
          routes: [
            {
              method: 'POST',
              path: '/things',
              requestSchema: { type: 'object', properties: { name: { type: 'string' } } },
            },
          ],
        },
        '/things',
      );
    });

    it('a route with a JSON Schema refuses the body with 400 malformed-body before the upstream', async () => {
      const response = await rawRequest(`/apis/${name}/things`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: INVALID_UTF8_JSON,
      });
      expect(response.status).toBe(400);
      expect(JSON.parse(response.text)).toMatchObject({
        type: 'urn:portico:problem:malformed-body',
        detail: 'The body is not valid UTF-8.',
      });
      expect(upstream.hits()).toBe(0);
    });

    it('an API without schemas (echo) forwards the bytes as sent, not U+FFFD', async () => {
      const response = await rawRequest('/apis/echo/things', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: INVALID_UTF8_JSON,
      });
      expect(response.status).toBe(200);
      const echoed = JSON.parse(response.text);
      expect(echoed.body).toBeUndefined();
      expect(Buffer.from(echoed.bodyBase64, 'base64').equals(INVALID_UTF8_JSON)).toBe(true);
    });
  });
});
