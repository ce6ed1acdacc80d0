import { beforeAll, describe, expect, it } from 'vitest';
import { putApi, untilServed } from './support/apis.ts';
import { createApp } from './support/console.ts';
import { as } from './support/http.ts';
import { adminToken, demoToken, tokenFor } from './support/oauth.ts';
import { portico, uniqueName } from './support/platform.ts';
import { eventually } from './support/wait.ts';

/** An API's lifecycle as its callers see it: a draft is not there, a deprecated one says so, a retired one is gone. */
type Api = ReturnType<typeof as>;
let admin: string;
let caller: Api;
/** An app that calls the API, and one that does not: each subscribed to the deprecation notices. */
let callingApp: Api;
let idleApp: Api;
const DEPRECATIONS = 'portico.api-deprecations';

const appWith = async (name: string) => {
  const app = await createApp(admin, { name, scopes: ['echo:read'] });
  return as(await tokenFor(app.clientId, app.clientSecret));
};

async function subscribe(app: Api): Promise<string> {
  const created = await app.send('POST', '/v1/subscriptions', { topic: DEPRECATIONS, mode: 'pull' });
  expect(created.status, created.text).toBe(201);
  return created.body.subscriptionId;
}

/** The deprecation notices about `api` waiting for the subscription (pulled, so each is seen once). */
async function noticesAbout(app: Api, subscriptionId: string, api: string) {
  const pulled = await app.send('POST', `/v1/subscriptions/${subscriptionId}/pull`, { max: 100 });
  expect(pulled.status, pulled.text).toBe(200);
  return pulled.body.items
    .map((i: { payload: { api: string } }) => i.payload)
    .filter((p: { api: string }) => p.api === api);
}

beforeAll(async () => {
  admin = await adminToken();
  caller = as(await demoToken());
  callingApp = await appWith('calls a deprecated API');
  idleApp = await appWith('calls nothing');
});

describe('API lifecycle', () => {
  it('hides a draft, announces a deprecation with its sunset, and answers 410 once retired', async () => {
    const name = uniqueName('lifecycle');
    const definition = {
      upstreams: [{ url: portico().upstreamUrl }],
      timeoutMs: 3000,
      requiredScopes: ['echo:read'],
    };
    const put = async (lifecycle: Record<string, unknown>) => {
      const answer = await putApi(admin, name, { ...definition, lifecycle });
      expect([200, 201], answer.text).toContain(answer.status);
      return answer.body;
    };
    /** The gateway sees a registry change within seconds: waits until it answers as expected. */
    const until = (expected: number) =>
      eventually(async () => {
        const answer = await caller.get(`/apis/${name}/hello`);
        return answer.status === expected ? answer : undefined;
      }, 15_000);

    await put({ status: 'draft' });
    await untilServed('echo');
    const draft = await until(404);
    expect(draft.body.type).toBe('urn:portico:problem:unknown-api');

    await put({ status: 'published' });
    const published = await until(200);
    expect(published.headers.get('deprecation')).toBeNull();

    const deprecated = await put({
      status: 'deprecated',
      sunsetAt: '2027-06-30T00:00:00Z',
      link: 'https://docs.example.com/apis/next',
    });
    const announced = await eventually(async () => {
      const answer = await caller.get(`/apis/${name}/hello`);
      return answer.headers.get('deprecation') ? answer : undefined;
    }, 15_000);
    expect(announced.status).toBe(200);
    expect(announced.headers.get('deprecation')).toBe(
      `@${Math.floor(Date.parse(deprecated.lifecycle.deprecatedAt) / 1000)}`,
    );
    expect(announced.headers.get('sunset')).toBe('Wed, 30 Jun 2027 00:00:00 GMT');
    expect(announced.headers.get('link')).toContain(
      '<https://docs.example.com/apis/next>; rel="deprecation"',
    );

    // The apps calling it are told once, through their subscriptions to the platform topic.
    const [calling, idle] = [await subscribe(callingApp), await subscribe(idleApp)];
    for (let i = 0; i < 3; i++) expect((await callingApp.get(`/apis/${name}/hello`)).status).toBe(200);
    const notices = await eventually(async () => {
      const found = await noticesAbout(callingApp, calling, name);
      return found.length > 0 ? found : undefined;
    }, 20_000);
    expect(notices).toEqual([
      {
        type: 'api.deprecated',
        api: name,
        version: '1',
        deprecatedAt: deprecated.lifecycle.deprecatedAt,
        sunsetAt: '2027-06-30T00:00:00.000Z',
        link: 'https://docs.example.com/apis/next',
        calledAt: expect.any(String),
      },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await noticesAbout(callingApp, calling, name)).toEqual([]);
    expect(await noticesAbout(idleApp, idle, name)).toEqual([]);

    await put({ status: 'retired' });
    const retired = await until(410);
    expect(retired.body).toMatchObject({ type: 'urn:portico:problem:gone', status: 410 });

    const back = await putApi(admin, name, { ...definition, lifecycle: { status: 'published' } });
    expect(back.status).toBe(400);
    expect(back.body.errors).toEqual([
      { pointer: '/lifecycle/status', message: 'cannot move from retired to published' },
    ]);
    const audit = await as(admin).get('/console/v1/audit?limit=100');
    expect(audit.status).toBe(200);
    const moves = audit.body.items
      .filter(
        (e: { action: string; target: { id: string } }) =>
          e.action === 'api.lifecycle' && e.target.id === name,
      )
      .map((e: { after: { status: string } }) => e.after.status);
    expect(moves.sort()).toEqual(['deprecated', 'published', 'retired']);
  });
});
