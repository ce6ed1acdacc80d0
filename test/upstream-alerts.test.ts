import { beforeAll, describe, expect, it } from 'vitest';
import { putApi, registerApi } from './support/apis.ts';
import { createApp } from './support/console.ts';
import { as } from './support/http.ts';
import { fireSchedule, scheduleId } from './support/local-plan.ts';
import { adminToken, demoToken, tokenFor } from './support/oauth.ts';
import { uniqueName } from './support/platform.ts';
import { useUpstreams } from './support/upstream.ts';
import { eventually } from './support/wait.ts';

/**
 * An API's provider hears of its servers through `portico.upstream-alerts`: the breaker opening on
 * real calls, the health check ejecting a server and taking it back; another app hears nothing.
 */
const upstream = useUpstreams();
const TOPIC = 'portico.upstream-alerts';

type Api = ReturnType<typeof as>;
interface Alert {
  type: string;
  api: string;
  server?: string;
}

let admin: string;
let caller: Api;
let provider: Api;
let providerAppId: string;
let stranger: Api;
let healthCheckSchedule: string;

beforeAll(async () => {
  healthCheckSchedule = scheduleId('GatewayHealthCheckSchedule');
  admin = await adminToken();
  caller = as(await demoToken());
  const providerApp = await createApp(admin, { name: 'orders team', scopes: [] });
  providerAppId = providerApp.appId;
  provider = as(await tokenFor(providerApp.clientId, providerApp.clientSecret));
  const strangerApp = await createApp(admin, { name: 'stranger', scopes: [] });
  stranger = as(await tokenFor(strangerApp.clientId, strangerApp.clientSecret));
});

async function subscribe(app: Api): Promise<string> {
  const created = await app.send('POST', '/v1/subscriptions', { topic: TOPIC, mode: 'pull' });
  expect(created.status, created.text).toBe(201);
  return created.body.subscriptionId;
}

/** Pulls (and so leases) what waits, keeping the alerts about `api`. */
async function pullAlerts(app: Api, subscriptionId: string, api: string, into: Alert[]): Promise<void> {
  const pulled = await app.send('POST', `/v1/subscriptions/${subscriptionId}/pull`, { max: 100 });
  expect(pulled.status, pulled.text).toBe(200);
  into.push(
    ...pulled.body.items.map((i: { payload: Alert }) => i.payload).filter((a: Alert) => a.api === api),
  );
}

describe('upstream alerts', () => {
  it('refuses a provider app that does not exist, against the field', async () => {
    const refused = await putApi(admin, uniqueName('nobody'), {
      upstreams: [{ url: 'http://127.0.0.1:9/' }],
      timeoutMs: 1000,
      providerApp: 'app_AAAAAAAAAAAAAAAAAAAAAA',
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ pointer: '/providerApp', message: 'names no app' }]);
  });

  it('tell the provider app, and only it, that its breaker opened and its server was ejected and came back', async () => {
    const up = await upstream();
    up.behaviour = () => ({ status: 500 });
    const name = await registerApi(admin, uniqueName('provided'), {
      upstreams: [{ url: up.url }],
      providerApp: providerAppId,
      circuitBreaker: { consecutiveFailures: 2, openBaseMs: 60_000 },
    });
    const providerSubscription = await subscribe(provider);
    const strangerSubscription = await subscribe(stranger);
    const heard: Alert[] = [];
    /** Waits for an alert, running the health check each time when asked (other tests' servers share it). */
    const waitFor = (type: string, probing = false) =>
      eventually(
        async () => {
          if (probing) expect((await fireSchedule(healthCheckSchedule)).status).toBe(200);
          await pullAlerts(provider, providerSubscription, name, heard);
          return heard.some((a) => a.type === type) ? true : undefined;
        },
        20_000,
        { intervalMs: 500, message: `no ${type} for ${name}; heard ${JSON.stringify(heard)}` },
      );

    for (let i = 0; i < 2; i++) expect((await caller.get(`/apis/${name}/x`)).status).toBe(500);
    expect((await caller.get(`/apis/${name}/x`)).status).toBe(503);
    await waitFor('breaker.opened');

    await up.stop();
    await waitFor('server.ejected', true);

    up.behaviour = () => ({ status: 200, body: { ok: true } });
    await up.start();
    await waitFor('server.recovered', true);

    const server = `http://127.0.0.1:${up.port}`;
    expect(heard.find((a) => a.type === 'server.ejected')).toMatchObject({ api: name, server });
    expect(heard.find((a) => a.type === 'breaker.opened')).toMatchObject({ api: name });
    // The API's breaker and its server's breaker, each told once however many instances reported it.
    expect(
      heard
        .filter((a) => a.type === 'breaker.opened')
        .map((a) => a.server ?? 'api')
        .sort(),
    ).toEqual([server, 'api'].sort());

    const overheard: Alert[] = [];
    await pullAlerts(stranger, strangerSubscription, name, overheard);
    expect(overheard).toEqual([]);
  });
});
