import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { getApi, putApi } from './support/apis.ts';
import { as, call } from './support/http.ts';
import { adminToken, demoToken } from './support/oauth.ts';
import { portico, uniqueName } from './support/platform.ts';
import { eventually } from './support/wait.ts';

const petstore = readFileSync(new URL('./fixtures/petstore-3.1.json', import.meta.url), 'utf8');

let admin: string;
let caller: ReturnType<typeof as>;

/** `POST /console/v1/apis/{name}/openapi` with `document` as the body, sent as `contentType`. */
const importDocument = (
  name: string,
  document: string,
  query: Record<string, string>,
  contentType = 'application/json',
) =>
  call(`/console/v1/apis/${name}/openapi?${new URLSearchParams(query)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin}`, 'content-type': contentType },
    body: document,
  });

beforeAll(async () => {
  admin = await adminToken();
  caller = as(await demoToken());
});

describe('registering an API from an OpenAPI document', () => {
  it('dry-runs, imports, enforces the document at the gateway and keeps gateway settings on re-import', async () => {
    const name = uniqueName('petstore');
    const settings = { upstream: portico().upstreamUrl, timeoutMs: '3000' };

    const dryRun = await importDocument(name, petstore, { ...settings, dryRun: 'true' });
    expect(dryRun.status, dryRun.text).toBe(200);
    expect(dryRun.body).toMatchObject({ dryRun: true, created: true });
    expect(
      dryRun.body.api.routes.map((r: { method: string; path: string }) => `${r.method} ${r.path}`),
    ).toEqual(['GET /pets', 'POST /pets', 'GET /pets/{petId}']);
    expect(dryRun.body.changes).toContainEqual({
      op: 'add',
      path: '/routes/GET ~1pets~1{petId}',
      after: dryRun.body.api.routes[2],
    });
    expect((await getApi(admin, name)).status).toBe(404);

    const imported = await importDocument(name, petstore, settings);
    expect(imported.status, imported.text).toBe(201);
    expect(imported.headers.get('etag')).toBe(`"${imported.body.api.revision}"`);
    expect(imported.body.api).toMatchObject({
      version: '1.0.0',
      description: 'A sample API that uses a petstore as an example.',
      upstreams: [{ url: portico().upstreamUrl }],
    });

    const pets = (query: string) => caller.get(`/apis/${name}/pets${query}`);
    const refused = await eventually(async () => {
      const answer = await pets('?limit=abc');
      return answer.status === 400 ? answer : undefined;
    });
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(refused.body.type).toBe('urn:portico:problem:validation-failed');
    expect(refused.body.errors).toEqual([{ pointer: '/query/limit', message: 'must be integer' }]);
    const tooMany = await pets('?limit=1000');
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors).toEqual([{ pointer: '/query/limit', message: 'must be <= 100' }]);
    const listed = await pets('?limit=10');
    expect(listed.status, listed.text).toBe(200);
    expect(listed.body.path).toContain('/pets');

    const create = (body: unknown) => caller.send('POST', `/apis/${name}/pets`, body);
    const nameless = await create({ id: 1, tag: 'cat' });
    expect(nameless.status).toBe(400);
    expect(nameless.body.errors).toEqual([{ pointer: '/name', message: 'is required' }]);
    const created = await create({ id: 1, name: 'Tom', tag: 'cat' });
    expect(created.status, created.text).toBe(200);
    expect(created.body.method).toBe('POST');

    // A rate limit set by PUT is a gateway setting: the next import keeps it.
    const current = (await getApi(admin, name)).body;
    const { revision: _r, updatedAt: _u, ...definition } = current;
    const rateLimits = { app: { limit: 1000, windowSeconds: 60 } };
    const put = await putApi(admin, name, { ...definition, rateLimits });
    expect(put.status, put.text).toBe(200);

    const changed = JSON.parse(petstore);
    changed.info.version = '1.1.0';
    changed.paths['/pets'].get.parameters[0].schema.maximum = 50;
    const preview = await importDocument(name, JSON.stringify(changed), { dryRun: 'true' });
    expect(preview.status, preview.text).toBe(200);
    expect(preview.body.changes).toEqual([
      { op: 'replace', path: '/version', before: '1.0.0', after: '1.1.0' },
      {
        op: 'replace',
        path: '/routes/GET ~1pets/parameters/query limit/schema/maximum',
        before: 100,
        after: 50,
      },
    ]);
    const reimported = await importDocument(name, JSON.stringify(changed), {});
    expect(reimported.status, reimported.text).toBe(200);
    expect(reimported.body.api).toMatchObject({ version: '1.1.0', rateLimits, timeoutMs: 3000 });
    expect(reimported.body.api.revision).toBe(put.body.revision + 1);
    await eventually(async () => ((await pets('?limit=60')).status === 400 ? true : undefined));

    const audit = await as(admin).get('/console/v1/audit?limit=100');
    const imports = audit.body.items.filter(
      (e: { action: string; target: { id: string } }) => e.action === 'api.import' && e.target.id === name,
    );
    expect(imports).toHaveLength(2);
  });

  it('reads YAML, and refuses what is not OpenAPI 3.x with pointers, storing nothing', async () => {
    const name = uniqueName('petstore-bad');
    const yaml = [
      'openapi: 3.0.3',
      'info: { title: t, version: "2" }',
      'paths:',
      '  /things/{id}:',
      '    get:',
      '      parameters:',
      '        - { name: id, in: path, required: true, schema: { type: integer, nullable: true } }',
      '      responses: { "200": { description: ok } }',
    ].join('\n');
    const dryRun = await importDocument(
      name,
      yaml,
      { upstream: portico().upstreamUrl, timeoutMs: '3000', dryRun: 'true' },
      'application/yaml',
    );
    expect(dryRun.status, dryRun.text).toBe(200);
    expect(dryRun.body.api.routes[0].parameters[0].schema).toEqual({ type: ['integer', 'null'] });

    for (const [document, pointer] of [
      [JSON.stringify({ swagger: '2.0', info: {}, paths: {} }), '/swagger'],
      [
        JSON.stringify({
          openapi: '3.1.0',
          info: { title: 't', version: '1' },
          paths: { '/a': { get: { requestBody: { $ref: 'https://elsewhere.example/body.json' } } } },
        }),
        '/paths/~1a/get/requestBody/$ref',
      ],
    ] as const) {
      const refused = await importDocument(name, document, {
        upstream: portico().upstreamUrl,
        timeoutMs: '3000',
      });
      expect(refused.status, refused.text).toBe(400);
      expect(refused.body.type).toBe('urn:portico:problem:validation-failed');
      expect(refused.body.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
    }
    const loopback = await importDocument(name, petstore, {
      upstream: 'http://169.254.169.254/',
      timeoutMs: '3000',
    });
    expect(loopback.status, loopback.text).toBe(400);
    expect(loopback.body.errors).toEqual([expect.objectContaining({ pointer: '/upstreams/0/url' })]);
    expect((await getApi(admin, name)).status).toBe(404);
  });
});
