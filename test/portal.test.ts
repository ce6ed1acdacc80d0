import { beforeAll, describe, expect, it } from 'vitest';
import { lintOpenApi } from '../shared/portal/testing/openapi-lint.ts';
import { putApi } from './support/apis.ts';
import { call } from './support/http.ts';
import { adminToken } from './support/oauth.ts';
import { portico, uniqueName } from './support/platform.ts';

/** What a third party reads before it has any credentials: the catalog and each API's document. */
let admin: string;
const upstream = 'http://127.0.0.1:9/hidden-upstream';

const definition = (lifecycle: Record<string, unknown>) => ({
  description: 'Orders of the shop.',
  upstreams: [{ url: upstream }],
  timeoutMs: 3000,
  requiredScopes: ['echo:read'],
  rateLimits: { appApi: { limit: 50, windowSeconds: 1 } },
  routes: [
    {
      method: 'GET',
      path: '/orders/{orderId}',
      summary: 'One order',
      parameters: [{ name: 'orderId', in: 'path', schema: { type: 'string', pattern: '^o-[0-9]+$' } }],
      responseSchema: { type: 'object', properties: { id: { type: 'string' } } },
    },
  ],
  lifecycle,
});

async function register(name: string, lifecycle: Record<string, unknown>) {
  const answer = await putApi(admin, name, definition(lifecycle));
  expect([200, 201], answer.text).toContain(answer.status);
}

beforeAll(async () => {
  admin = await adminToken();
});

describe('the developer portal’s documents', () => {
  it('lists published and deprecated APIs, without credentials, and never a draft or a retired one', async () => {
    const [published, deprecated, draft, retired] = ['pub', 'dep', 'draft', 'gone'].map((p) =>
      uniqueName(`portal-${p}`),
    ) as [string, string, string, string];
    await register(published, { status: 'published' });
    await register(deprecated, { status: 'published' });
    await register(deprecated, { status: 'deprecated', sunsetAt: '2027-06-30T00:00:00Z' });
    await register(draft, { status: 'draft' });
    await register(retired, { status: 'published' });
    await register(retired, { status: 'retired' });

    const catalog = await call('/v1/apis');
    expect(catalog.status).toBe(200);
    const listed = new Map(catalog.body.items.map((i: { name: string }) => [i.name, i]));
    expect(listed.get(published)).toEqual({
      name: published,
      version: '1',
      description: 'Orders of the shop.',
      status: 'published',
      authModes: ['token', 'signature'],
      requiredScopes: ['echo:read'],
      document: `/v1/apis/${published}/openapi.json`,
    });
    expect(listed.get(deprecated)).toMatchObject({
      status: 'deprecated',
      sunsetAt: '2027-06-30T00:00:00.000Z',
    });
    expect(listed.has(draft)).toBe(false);
    expect(listed.has(retired)).toBe(false);
    expect(listed.has('echo')).toBe(true);

    expect((await call(`/v1/apis/${draft}/openapi.json`)).body.type).toBe('urn:portico:problem:unknown-api');
    const gone = await call(`/v1/apis/${retired}/openapi.json`);
    expect(gone.status).toBe(410);
    expect(gone.body.type).toBe('urn:portico:problem:gone');
    for (const name of ['no-such-api', 'Bad_Name', 'x'.repeat(300)]) {
      const unknown = await call(`/v1/apis/${name}/openapi.json`);
      expect(unknown.status, name).toBe(404);
      expect(unknown.body.type).toBe('urn:portico:problem:unknown-api');
    }
    const deprecatedDoc = await call(`/v1/apis/${deprecated}/openapi.json`);
    expect(deprecatedDoc.body.paths['/orders/{orderId}'].get.deprecated).toBe(true);
  });

  it('documents an API for its callers: served below the gateway, lint clean, nothing of its upstream', async () => {
    const name = uniqueName('portal-doc');
    await register(name, { status: 'published' });
    const answer = await call(`/v1/apis/${name}/openapi.json`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('public, max-age=60');
    const doc = answer.body;
    expect(doc.servers).toEqual([{ url: `${portico().baseUrl}/apis/${name}` }]);
    expect(doc.components.securitySchemes.oauth2.flows.clientCredentials.tokenUrl).toBe(
      `${portico().baseUrl}/oauth2/token`,
    );
    expect(doc.paths['/orders/{orderId}'].get.parameters[0].schema.pattern).toBe('^o-[0-9]+$');
    expect(answer.text).not.toContain('hidden-upstream');
    // The local base URL is on loopback, which the linter's `no-server-example.com` rule flags.
    const problems = await lintOpenApi(doc);
    expect(problems.filter((p) => p.rule !== 'no-server-example.com')).toEqual([]);

    const echo = await call('/v1/apis/echo/openapi.json');
    expect(echo.status).toBe(200);
    expect((await lintOpenApi(echo.body)).filter((p) => p.rule !== 'no-server-example.com')).toEqual([]);
  });
});
