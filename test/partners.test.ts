import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptBody, withSignature } from '../shared/partners/partner-signature.ts';
import { registerApi } from './support/apis.ts';
import { as, call } from './support/http.ts';
import { fireSchedule, scheduleId } from './support/local-plan.ts';
import { newPartner, PARTNER_SECRET, partnerHealthActors, simulatedPartner } from './support/partners.ts';
import { uniqueName } from './support/platform.ts';
import { eventually, sleep } from './support/wait.ts';

let admin: string;
let operator: string;
let app: string;
let healthReader: string;
let partner: Awaited<ReturnType<typeof simulatedPartner>>;
let pollSchedule: string;

beforeAll(async () => {
  pollSchedule = scheduleId('PartnerPollSchedule');
  ({ admin, operator, app, healthReader } = await partnerHealthActors());
  partner = await simulatedPartner();
});
afterAll(() => partner.close());

/** Seed-format UTC time, `days` from now. */
const seedTime = (days: number) => {
  const d = new Date(Date.now() + days * 86_400_000);
  return `${d.getUTCFullYear()}-${d.getUTCMonth() + 1}-${d.getUTCDate()} ${String(d.getUTCHours()).padStart(2, '0')}:00:00`;
};
const notice = (over: Record<string, unknown> = {}) => ({
  id: 'UC-051-20200702-96038',
  content: '系统故障',
  begin: seedTime(-1),
  end: seedTime(2),
  effective: true,
  ...over,
});
const push = (body: Record<string, unknown>) =>
  call('/partners/v1/notices', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const noticesOf = async (partnerId: string) =>
  (await as(operator).get(`/console/v1/partners/${partnerId}/notices`)).body.items as Record<
    string,
    unknown
  >[];

describe('partner notices and the gateway', () => {
  it('stops calling the partner within 10 s of a signed push, and calls it again once an operator deletes the notice', async () => {
    const partnerId = await newPartner(operator);
    const api = await registerApi(admin, uniqueName('partner-api'), {
      upstreams: [{ url: partner.url }],
      partnerId,
      requiredScopes: ['echo:read'],
    });
    const callApi = () => as(app).get(`/apis/${api}/products`);
    expect((await callApi()).status).toBe(200);

    const pushed = await push(
      withSignature({ partnerId, upgradeInfo: [notice()] }, PARTNER_SECRET, Date.now()),
    );
    expect(pushed.status, pushed.text).toBe(200);
    expect(pushed.body).toEqual({ created: ['UC-051-20200702-96038'], changed: [], unchanged: [] });

    const started = Date.now();
    const refused = await eventually(async () => {
      const answer = await callApi();
      return answer.status === 503 ? answer : undefined;
    }, 10_000);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(refused.body.type).toBe('urn:portico:problem:partner-unavailable');
    const callsWhileDown = partner.apiCalls();
    for (let i = 0; i < 5; i++) expect((await callApi()).status).toBe(503);
    expect(partner.apiCalls()).toBe(callsWhileDown);

    // A first question may come before the snapshot is read (50 ms deadline): then `degraded`, asked again.
    const health = await eventually(async () => {
      const answer = await as(healthReader).get(`/health/v1/partners/${partnerId}`);
      return answer.body.degraded === false ? answer : undefined;
    }, 10_000);
    expect(health.body).toMatchObject({
      partnerId,
      healthy: false,
      standing: 'unhealthy',
      notices: [{ noticeId: 'UC-051-20200702-96038', source: 'partner' }],
    });
    expect((await as(app).get(`/health/v1/partners/${partnerId}`)).status).toBe(403);

    const deleted = await as(operator).send(
      'DELETE',
      `/console/v1/partners/${partnerId}/notices/partner/UC-051-20200702-96038`,
    );
    expect(deleted.status, deleted.text).toBe(200);
    expect(deleted.body).toMatchObject({ status: 'invalid', inForce: false });
    await eventually(async () => ((await callApi()).status === 200 ? true : undefined), 10_000);
    expect(partner.apiCalls()).toBeGreaterThan(callsWhileDown);
  });

  it('refuses a bad signature, a replayed nonce, a stale timestamp, begin ≥ end and bad bodies, storing nothing', async () => {
    const aesKey = randomBytes(32);
    const sealedPartner = await newPartner(operator, { aesKey: aesKey.toString('base64') });
    const partnerId = await newPartner(operator);
    const signed = (body: Record<string, unknown>, at = Date.now(), secret = PARTNER_SECRET) =>
      withSignature(body, secret, at);
    const cases: [string, Record<string, unknown>, number][] = [
      ['another secret', signed({ partnerId, upgradeInfo: [notice()] }, Date.now(), 'x'.repeat(40)), 401],
      [
        'a changed notice',
        { ...signed({ partnerId, upgradeInfo: [notice()] }), upgradeInfo: [notice({ id: 'other' })] },
        401,
      ],
      ['a stale timestamp', signed({ partnerId, upgradeInfo: [notice()] }, Date.now() - 301_000), 401],
      ['an unknown partner', signed({ partnerId: 'nobody-here', upgradeInfo: [notice()] }), 401],
      ['begin ≥ end', signed({ partnerId, upgradeInfo: [notice({ begin: seedTime(3) })] }), 400],
      ['a time that is not one', signed({ partnerId, upgradeInfo: [notice({ end: 'tomorrow' })] }), 400],
      [
        'a clear push to a partner with a key',
        signed({ partnerId: sealedPartner, upgradeInfo: [notice()] }),
        400,
      ],
      [
        'an undecryptable body',
        signed({ partnerId: sealedPartner, encrypted: encryptBody('{"upgradeInfo":[]}', randomBytes(32)) }),
        400,
      ],
    ];
    for (const [name, body, status] of cases) {
      const answer = await push(body);
      expect(answer.status, `${name}: ${answer.text}`).toBe(status);
      expect(answer.headers.get('content-type'), name).toBe('application/problem+json');
    }
    const malformed = await call('/partners/v1/notices', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"partnerId":',
    });
    expect(malformed.status).toBe(400);
    expect(await noticesOf(partnerId)).toEqual([]);
    expect(await noticesOf(sealedPartner)).toEqual([]);

    const once = signed({ partnerId, upgradeInfo: [notice()] });
    expect((await push(once)).status).toBe(200);
    const replay = await push(once);
    expect(replay.status).toBe(409);
    expect(await noticesOf(partnerId)).toHaveLength(1);

    const sealed = signed({
      partnerId: sealedPartner,
      encrypted: encryptBody(JSON.stringify({ upgradeInfo: [notice()] }), aesKey),
    });
    expect((await push(sealed)).body).toEqual({
      created: ['UC-051-20200702-96038'],
      changed: [],
      unchanged: [],
    });
  });
});

describe('polling a partner', () => {
  it('creates, updates and cancels notices from the seed protocol answer, one poll per interval however many pollers run', async () => {
    const partnerId = await newPartner(operator, {
      notices: { url: `${partner.url}/notices`, ourId: 'portico', pollIntervalSeconds: 60 },
    });
    const ours = () => partner.polls.filter((p) => p.appId === 'portico');
    partner.answerWith({
      code: 0,
      msg: '同步成功',
      upgradeInfo: [notice({ id: 'UC-1' }), notice({ id: 'UC-2' })],
    });
    const before = ours().length;
    const firstMinute = Math.floor(Date.now() / 60_000);
    // Scheduled twice in the same interval (and by the runtime's own minute timer maybe): one poll.
    expect((await fireSchedule(pollSchedule)).status).toBe(200);
    expect((await fireSchedule(pollSchedule)).status).toBe(200);
    const created = await eventually(async () => {
      const items = await noticesOf(partnerId);
      return items.length === 2 ? items : undefined;
    }, 20_000);
    expect(created.map((n) => [n.noticeId, n.status, n.changeCount])).toEqual([
      ['UC-1', 'effective', 0],
      ['UC-2', 'effective', 0],
    ]);
    // One poll per interval: two if a minute boundary (a new interval) fell inside the test.
    const intervals = Math.floor(Date.now() / 60_000) - firstMinute + 1;
    expect(ours().length - before).toBeGreaterThanOrEqual(1);
    expect(ours().length - before).toBeLessThanOrEqual(intervals);
    expect(ours().at(-1)).toMatchObject({ appId: 'portico', sign: expect.stringMatching(/^[0-9a-f]{64}$/) });

    const polling = await as(operator).get(`/console/v1/partners/${partnerId}`);
    expect(polling.body.polling).toMatchObject({ partnerId, consecutiveFailures: 0 });

    // The next interval: the partner changes one notice and cancels the other; two pollers run at once.
    await sleep((Math.floor(Date.now() / 60_000) + 1) * 60_000 - Date.now() + 500);
    partner.answerWith({
      code: 0,
      msg: '同步成功',
      upgradeInfo: [notice({ id: 'UC-1', content: '系统升级' }), notice({ id: 'UC-2', effective: false })],
    });
    const secondInterval = Math.floor(Date.now() / 60_000);
    const beforeSecond = ours().length;
    const fired = await Promise.all([fireSchedule(pollSchedule), fireSchedule(pollSchedule)]);
    expect(fired.map((r) => r.status)).toEqual([200, 200]);
    const changed = await eventually(async () => {
      const items = await noticesOf(partnerId);
      return items.every((n) => n.changeCount === 1) ? items : undefined;
    }, 20_000);
    expect(changed.map((n) => [n.noticeId, n.status, n.content, n.changeCount])).toEqual([
      ['UC-1', 'effective', '系统升级', 1],
      ['UC-2', 'invalid', '系统故障', 1],
    ]);
    if (Math.floor(Date.now() / 60_000) === secondInterval) expect(ours().length - beforeSecond).toBe(1);
  }, 120_000);
});
