import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerApi } from './support/apis.ts';
import { as } from './support/http.ts';
import { fireSchedule, scheduleId } from './support/local-plan.ts';
import { newPartner, partnerHealthActors, simulatedPartner } from './support/partners.ts';
import { uniqueName } from './support/platform.ts';
import { eventually, sleep } from './support/wait.ts';

// The test platform's health window is 2 s (PARTNER_HEALTH_WINDOW_SECONDS in global-setup.ts): traffic is
// counted per 2 s and a round of automatic health may run every 2 s instead of every minute.
const WINDOW_MS = 2_000;
/** The gateway's view of a partner's health is read again when older than this (the reader's TTL). */
const GATEWAY_VIEW_MS = 2_000;
const CALLS_PER_STEP = 200;
/**
 * Long enough that the runtime's own minute timer cannot pass a step while the test measures it (about
 * 5 s from the step's start: seen by the health query, the gateway's view renewed, 200 calls 10 at once).
 */
const STEP_MIN_MS = 10_000;
const CALLS_AT_ONCE = 10;
const RAMP = [
  { percent: 1, minDurationMs: STEP_MIN_MS, minCalls: 2 },
  { percent: 5, minDurationMs: STEP_MIN_MS, minCalls: 10 },
  { percent: 25, minDurationMs: STEP_MIN_MS, minCalls: 50 },
  { percent: 100, minDurationMs: STEP_MIN_MS, minCalls: 200 },
];

let operator: string;
let app: string;
let healthReader: string;
let evaluateSchedule: string;
let partner: Awaited<ReturnType<typeof simulatedPartner>>;

beforeAll(async () => {
  evaluateSchedule = scheduleId('PartnerEvaluateSchedule');
  ({ operator, app, healthReader } = await partnerHealthActors());
  partner = await simulatedPartner();
});
afterAll(() => partner.close());

const healthOf = async (partnerId: string) => {
  const answer = await as(healthReader).get(`/health/v1/partners/${partnerId}`);
  expect(answer.status, answer.text).toBe(200);
  return answer.body as { phase: string; admittedPercent: number; degraded: boolean };
};

/** Runs rounds of automatic health (one per window) until the partner's health is what `want` says. */
async function evaluateUntil(
  partnerId: string,
  want: (h: { phase: string; admittedPercent: number }) => boolean,
) {
  let last: unknown;
  return eventually(
    async () => {
      expect((await fireSchedule(evaluateSchedule)).status).toBe(200);
      await sleep(WINDOW_MS / 4);
      const health = await healthOf(partnerId);
      last = health;
      return !health.degraded && want(health) ? health : undefined;
    },
    60_000,
    { intervalMs: WINDOW_MS, message: `partner ${partnerId} did not reach the state in time` },
  ).catch(async (error) => {
    const history = await as(operator).get(`/console/v1/partners/${partnerId}/transitions`);
    throw new Error(`${(error as Error).message}: last ${JSON.stringify(last)}; ${history.text}`);
  });
}

/**
 * Lets the gateway's view expire, then asks once so that it is read again (a read that misses the 50 ms
 * deadline finishes in the background), and gives that read time to land.
 */
async function gatewaySeesTheStep(callApi: () => Promise<unknown>) {
  await sleep(GATEWAY_VIEW_MS + 500);
  await callApi();
  await sleep(1_000);
}

describe('automatic detection and recovery of a partner', () => {
  it('opens an automatic notice when its API fails, then probes and walks every ramp step, each letting its share through', async () => {
    const partnerId = await newPartner(operator, {
      probe: { url: `${partner.url}/probe`, timeoutMs: 1_000 },
      policy: {
        probeFailures: 3,
        minCalls: 5,
        minSuccessRate: 0.9,
        probesToRamp: 2,
        ramp: RAMP,
        backoff: { baseMs: 1_000, maxMs: 10_000 },
      },
    });
    const api = await registerApi(operator, uniqueName('partner-ramp'), {
      upstreams: [{ url: partner.url }],
      partnerId,
      requiredScopes: ['echo:read'],
    });
    const callApi = () => as(app).get(`/apis/${api}/products`);
    expect((await callApi()).status).toBe(200);

    // Detection: the partner's API starts failing (fewer calls than would open the gateway's breaker).
    partner.fail(true);
    for (let i = 0; i < 8; i++) expect((await callApi()).status).toBeGreaterThanOrEqual(500);
    await sleep(WINDOW_MS);
    await evaluateUntil(partnerId, (h) => h.phase === 'unhealthy');
    const [automatic] = (await as(operator).get(`/console/v1/partners/${partnerId}/notices`)).body
      .items as Record<string, unknown>[];
    expect(automatic).toMatchObject({
      source: 'automatic',
      status: 'effective',
      inForce: true,
      changeCount: 0,
    });
    expect(String(automatic!.content)).toMatch(/calls, [0-9.]+ % succeeded/);
    const refused = await eventually(async () => {
      const answer = await callApi();
      return answer.status === 503 ? answer : undefined;
    }, 10_000);
    expect(refused.body.type).toBe('urn:portico:problem:partner-unavailable');
    const before = partner.apiCalls();
    for (let i = 0; i < 5; i++) expect((await callApi()).status).toBe(503);
    expect(partner.apiCalls()).toBe(before);

    // Recovery: probes pass again, then real traffic comes back step by step.
    partner.fail(false);
    const shares: { percent: number; admitted: number; upstream: number; measuredUntil: number }[] = [];
    for (const step of RAMP) {
      await evaluateUntil(partnerId, (h) => h.phase === 'ramping' && h.admittedPercent === step.percent);
      await gatewaySeesTheStep(callApi);
      const upstreamBefore = partner.apiCalls();
      let admitted = 0;
      for (let i = 0; i < CALLS_PER_STEP; i += CALLS_AT_ONCE) {
        const answers = await Promise.all(Array.from({ length: CALLS_AT_ONCE }, callApi));
        for (const answer of answers) {
          if (answer.status === 200) admitted++;
          else expect(answer.body.type).toBe('urn:portico:problem:partner-unavailable');
        }
      }
      shares.push({
        percent: step.percent,
        admitted,
        upstream: partner.apiCalls() - upstreamBefore,
        measuredUntil: Date.now(),
      });
    }
    for (const { percent, admitted, upstream } of shares) {
      const expected = (CALLS_PER_STEP * percent) / 100;
      expect(Math.abs(admitted - expected), `step ${percent} %: ${admitted} admitted`).toBeLessThanOrEqual(
        expected * 0.2,
      );
      expect(upstream).toBe(admitted);
    }

    await evaluateUntil(partnerId, (h) => h.phase === 'healthy');
    const ended = (await as(operator).get(`/console/v1/partners/${partnerId}/notices`)).body.items as Record<
      string,
      unknown
    >[];
    expect(ended).toMatchObject([
      { noticeId: automatic!.noticeId, source: 'automatic', status: 'invalid', changeCount: 1 },
    ]);

    // The console's history: every transition, newest first, each ramp step among them.
    const history = await as(operator).get(`/console/v1/partners/${partnerId}/transitions?limit=20`);
    expect(history.status, history.text).toBe(200);
    const transitions = (
      history.body.items as { from: string; to: string; admittedPercent: number; at: string }[]
    ).reverse();
    const moves = transitions.map((t) => `${t.from}>${t.to}@${t.admittedPercent}`);
    // A round may probe while the API still fails (the backoff is 1 s): each such probe fails and backs
    // off longer, so unhealthy ⇄ probing may repeat before the probes pass.
    expect(moves[0]).toBe('healthy>unhealthy@0');
    const retries = moves.slice(1, -6);
    expect(retries.length % 2).toBe(0);
    for (let i = 0; i < retries.length; i += 2) {
      expect(retries.slice(i, i + 2)).toEqual(['unhealthy>probing@0', 'probing>unhealthy@0']);
    }
    expect(moves.slice(-6)).toEqual([
      'unhealthy>probing@0',
      'probing>ramping@1',
      'ramping>ramping@5',
      'ramping>ramping@25',
      'ramping>ramping@100',
      'ramping>healthy@100',
    ]);
    // Each step's calls were all made inside the step: the machine left it only after they were counted.
    const stepEnds = transitions.slice(-4);
    for (const [i, share] of shares.entries()) {
      expect(Date.parse(stepEnds[i]!.at), `step ${share.percent} % ended early`).toBeGreaterThan(
        share.measuredUntil - 1_000,
      );
    }
    expect((await as(app).get(`/console/v1/partners/${partnerId}/transitions`)).status).toBe(403);
    expect(
      (await as(operator).get(`/console/v1/partners/${partnerId}/transitions?cursor=forged`)).status,
    ).toBe(400);
  }, 180_000);
});
