import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDACTED } from '../shared/analytics/redaction.ts';
import { registerApi } from './support/apis.ts';
import { consoleToken, createApp } from './support/console.ts';
import { as, call } from './support/http.ts';
import { adminToken, tokenFor } from './support/oauth.ts';
import { aws, uniqueName } from './support/platform.ts';
import { CREDENTIAL_SHAPES, requestLogObjects } from './support/request-log-objects.ts';
import { eventually } from './support/wait.ts';

/** An upstream echoing the request body back, with a session cookie of its own. */
const upstream = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () =>
    res
      .writeHead(200, { 'content-type': 'application/json', 'set-cookie': `sid=${SECRETS.upstreamCookie}` })
      .end(Buffer.concat(chunks).length ? Buffer.concat(chunks) : '{}'),
  );
});

const SECRETS = {
  password: 'pw-7f3a9c1e5b',
  card: '4111111111111111',
  queryToken: 'qt-2c8e4a6b0d',
  apiKey: 'ak-9d1f3b5e7a',
  cookie: 'ck-5a7c9e1b3d',
  upstreamCookie: 'uc-8b0d2f4a6c',
  nestedSecret: 'ns-1e3a5c7b9d',
};

let api: string;
let token: string;
let operator: string;
let viewer: string;
let requestId: string;
const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
const parentSpan = '00f067aa0ba902b7';

beforeAll(async () => {
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  const admin = await adminToken();
  operator = await consoleToken(admin, 'operator');
  viewer = await consoleToken(admin, 'viewer');
  api = await registerApi(admin, uniqueName('logged'), {
    upstreams: [{ url }],
    requiredScopes: ['echo:read'],
    requestLog: { maxBodyBytes: 2_048, redact: ['$.payment.card'] },
  });
  const app = await createApp(admin, { name: 'logged app', scopes: ['echo:read'] });
  token = await tokenFor(app.clientId, app.clientSecret);
  const answer = await as(token).send(
    'POST',
    `/apis/${api}/orders?page=2&access_token=${SECRETS.queryToken}`,
    {
      item: 'book',
      password: SECRETS.password,
      payment: { card: SECRETS.card, holder: 'Ann' },
      deeper: [{ client_secret: SECRETS.nestedSecret }],
    },
    {
      'x-api-key': SECRETS.apiKey,
      cookie: `session=${SECRETS.cookie}`,
      traceparent: `00-${traceId}-${parentSpan}-01`,
    },
  );
  expect(answer.status).toBe(200);
  requestId = answer.headers.get('x-request-id')!;
});
afterAll(() => upstream.close());

const search = (as_: string, query: string) => as(as_).get(`/console/v1/logs?${query}`);

describe('request logs', () => {
  it('finds a call by request id with its whole context, every secret redacted', async () => {
    const found = await eventually(async () => {
      const answer = await search(operator, `requestId=${requestId}`);
      expect(answer.status, answer.text).toBe(200);
      return answer.body.records.length ? answer.body.records : undefined;
    }, 30_000);
    expect(found).toHaveLength(1);
    const [log] = found;
    expect(log).toMatchObject({
      kind: 'request',
      requestId,
      traceId,
      parentSpanId: parentSpan,
      spanId: expect.stringMatching(/^[0-9a-f]{16}$/),
      api,
      method: 'POST',
      path: `/apis/${api}/orders`,
      status: 200,
      query: `page=2&access_token=${encodeURIComponent(REDACTED)}`,
      sourceIp: expect.any(String),
    });
    expect(log.latencyMs).toBeGreaterThan(0);
    expect(log.request.headers).toMatchObject({
      authorization: REDACTED,
      'x-api-key': REDACTED,
      traceparent: `00-${traceId}-${parentSpan}-01`,
    });
    expect(JSON.parse(log.request.body)).toEqual({
      item: 'book',
      password: REDACTED,
      payment: { card: REDACTED, holder: 'Ann' },
      deeper: [{ client_secret: REDACTED }],
    });
    // Cookies reach the gateway apart from the headers (API Gateway's payload 2.0): never logged.
    expect(log.request.headers.cookie).toBeUndefined();
    for (const secret of Object.values(SECRETS)) expect(JSON.stringify(log)).not.toContain(secret);
    expect(JSON.parse(log.response.body).payment.card).toBe(REDACTED);
  });

  it('finds it by trace id, app and status too, and not outside its time', async () => {
    const byTrace = await search(operator, `traceId=${traceId}`);
    expect(byTrace.body.records.map((r: { requestId: string }) => r.requestId)).toContain(requestId);
    const byApiStatus = await search(operator, `api=${api}&status=200`);
    expect(byApiStatus.body.records.map((r: { requestId: string }) => r.requestId)).toEqual([requestId]);
    expect((await search(operator, `api=${api}&status=500`)).body.records).toEqual([]);
    const earlier = new Date(Date.now() - 3 * 3_600_000).toISOString();
    const before = new Date(Date.now() - 2 * 3_600_000).toISOString();
    expect((await search(operator, `api=${api}&from=${earlier}&to=${before}`)).body.records).toEqual([]);
  });

  it('is for operators only, and refuses what it cannot search', async () => {
    expect((await search(viewer, `api=${api}`)).status).toBe(403);
    expect((await search(token, `api=${api}`)).status).toBe(403);
    expect((await call('/console/v1/logs')).status).toBe(401);
    for (const bad of [
      'traceId=XYZ',
      'status=99',
      'limit=1000',
      "app=a'b",
      'from=2030-01-09T00:00:00Z&to=2030-01-01T00:00:00Z',
      'from=2030-01-01T00:00:00Z&to=2030-01-20T00:00:00Z',
      'nope=1',
    ]) {
      const answer = await search(operator, bad);
      expect(answer.status, bad).toBe(400);
      expect(answer.headers.get('content-type'), bad).toContain('application/problem+json');
    }
  });

  it('stores no planted secret and no credential in any object written so far (the run ends with the same scan)', async () => {
    const objects = await requestLogObjects(aws());
    expect(objects.length).toBeGreaterThan(0);
    for (const { key, text } of objects) {
      for (const [name, secret] of Object.entries({ ...SECRETS, token }))
        expect(text, `${name} in ${key}`).not.toContain(secret);
      for (const shape of CREDENTIAL_SHAPES) expect(shape.test(text), `${shape} in ${key}`).toBe(false);
    }
  });
});
