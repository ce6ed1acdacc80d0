import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest } from '../shared/identity/request-signing.ts';
import { basic, form, type Timed, timed as timedAt } from './support/http.ts';
import { clientCredentialsRequest } from './support/oauth.ts';
import { type RuntimeProcess, startRuntimeProcess } from './support/runtime-process.ts';
import { retryUntil, sleep } from './support/wait.ts';

const HANG_MS = 35_000;
/** The contract: a request that needs a dependency that is down answers within about 2 s. */
const OUTAGE_ANSWER_MS = 2_500;

/**
 * AWS hung (the emulator stopped with SIGSTOP, as a DynamoDB brown-out looks from a Lambda): every
 * path answers in time, with 503 where it truly needs AWS and from memory where it does not. The
 * platform is one of this file's own so freezing its emulator disturbs no other test.
 */
describe('when AWS hangs', () => {
  let runtime: RuntimeProcess;
  let emulatorPid: number;
  let base: string;
  let demo: { clientId: string; clientSecret: string };
  let token: string;
  let admin: string;

  const timed = (path: string, init: RequestInit = {}) => timedAt(path, init, { base, timeoutMs: HANG_MS });
  const tokenRequest = (client: { clientId: string; clientSecret: string }) =>
    timed('/oauth2/token', clientCredentialsRequest(client.clientId, client.clientSecret));
  const bearerCall = (path = '/apis/echo/outage') =>
    timed(path, { headers: { authorization: `Bearer ${token}` } });
  const signedCall = (path = '/apis/echo/signed') => {
    const { authorization } = signRequest(
      { method: 'GET', path, rawQueryString: '', body: '' },
      { clientId: demo.clientId, secret: demo.clientSecret },
    );
    return timed(path, { headers: { authorization } });
  };
  const consoleCall = () => timed('/console/v1/apps', { headers: { authorization: `Bearer ${admin}` } });
  const introspect = () =>
    timed('/oauth2/introspect', form({ token }, { authorization: basic(demo.clientId, demo.clientSecret) }));

  const freeze = () => process.kill(emulatorPid, 'SIGSTOP');
  const thaw = () => {
    try {
      process.kill(emulatorPid, 'SIGCONT');
    } catch {}
  };

  beforeAll(async () => {
    runtime = await startRuntimeProcess();
    emulatorPid = runtime.info.pids.emulator!;
    base = runtime.info.baseUrl;
    demo = runtime.info.demo;
    const issued = await tokenRequest(demo);
    expect(issued.status).toBe(200);
    token = issued.body.access_token;
    const adminIssued = await tokenRequest(runtime.info.admin);
    expect(adminIssued.status).toBe(200);
    admin = adminIssued.body.access_token;
  });

  afterAll(async () => {
    if (emulatorPid) thaw();
    await runtime?.stop();
  });

  it('answers every path in time, with 503 only where AWS is needed, and recovers', async () => {
    expect(emulatorPid).toBeGreaterThan(0);
    // Warm every cache the hot paths use: JWKS, registry view, revocation feed, leases, signing secrets.
    expect((await bearerCall()).status).toBe(200);
    expect((await signedCall()).status).toBe(200);
    expect((await consoleCall()).status).toBe(200);
    expect((await timed('/.well-known/jwks.json')).status).toBe(200);
    const logBefore = readFileSync(runtime.logFile, 'utf8').length;

    const seen: Record<string, Timed> = {};
    freeze();
    const frozenAt = Date.now();
    try {
      seen.bearer = await bearerCall();
      seen.token = await tokenRequest(demo);
      seen.introspect = await introspect();
      seen.signed = await signedCall();
      seen.console = await consoleCall();
      seen.jwks = await timed('/.well-known/jwks.json');
      seen.authorize = await timed(
        `/oauth2/authorize?${new URLSearchParams({ response_type: 'code', client_id: demo.clientId })}`,
      );
      // Past the revocation feed's refresh (5 s) and the registry view's staleness bound (8 s): both
      // are due a read that cannot happen.
      await sleep(Math.max(0, 9_000 - (Date.now() - frozenAt)));
      seen.bearerLater = await bearerCall();
      seen.bearerAfter = await bearerCall();
    } finally {
      thaw();
    }
    const summary = Object.fromEntries(
      Object.entries(seen).map(([k, v]) => [k, `${v.status} in ${v.ms} ms`]),
    );
    console.log('while AWS hung:', summary);

    expect(seen.bearer).toMatchObject({ status: 200 });
    expect(seen.bearer!.ms).toBeLessThan(500);

    expect(seen.token).toMatchObject({ status: 503, body: { error: 'temporarily_unavailable' } });
    expect(seen.token!.contentType).toMatch(/^application\/json/);
    expect(Number(seen.token!.retryAfter)).toBeGreaterThan(0);
    expect(seen.token!.ms).toBeLessThan(OUTAGE_ANSWER_MS);

    expect(seen.introspect).toMatchObject({ status: 503, body: { error: 'temporarily_unavailable' } });
    expect(seen.introspect!.ms).toBeLessThan(OUTAGE_ANSWER_MS);
    expect(seen.authorize).toMatchObject({ status: 503 });
    expect(seen.authorize!.contentType).toMatch(/^text\/html/);
    expect(Number(seen.authorize!.retryAfter)).toBeGreaterThan(0);
    expect(seen.authorize!.ms).toBeLessThan(OUTAGE_ANSWER_MS);
    expect(seen.jwks).toMatchObject({ status: 200 });
    expect(seen.jwks!.ms).toBeLessThan(500);

    for (const name of ['signed', 'console'] as const) {
      expect(seen[name], name).toMatchObject({
        status: 503,
        body: { type: 'urn:portico:problem:service-unavailable', status: 503 },
      });
      expect(seen[name]!.contentType).toBe('application/problem+json');
      expect(Number(seen[name]!.retryAfter)).toBeGreaterThan(0);
      expect(seen[name]!.ms, name).toBeLessThan(OUTAGE_ANSWER_MS);
    }

    // Stale views are served: the first call due a refresh waits briefly for each, the next not at all.
    expect(seen.bearerLater).toMatchObject({ status: 200 });
    expect(seen.bearerLater!.ms).toBeLessThan(1_000);
    expect(seen.bearerAfter).toMatchObject({ status: 200 });
    expect(seen.bearerAfter!.ms).toBeLessThan(500);

    // Back to normal once AWS answers again.
    const recovered = await retryUntil(
      () => tokenRequest(demo),
      (answer) => answer.status === 200,
      20_000,
    );
    expect(recovered.status).toBe(200);
    expect((await signedCall('/apis/echo/signed-again')).status).toBe(200);
    expect((await consoleCall()).status).toBe(200);

    // Refused as an outage (a warning), never as an unhandled error.
    const log = readFileSync(runtime.logFile, 'utf8').slice(logBefore);
    expect(log).toContain('dependency unavailable');
    expect(log).not.toContain('unhandled error');
  }, 180_000);
});
