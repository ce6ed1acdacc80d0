import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { FakeCipher } from '../identity/testing/memory-stores.ts';
import { DEFAULT_NOTICE_MAPPING } from './notice-answer.ts';
import { partnerAesKeyContext, partnerSecretContext } from './partner-secrets.ts';
import { encryptBody, verifySignedParams } from './partner-signature.ts';
import { partnersDue, pollingAlarms, pollPartner } from './poll-partner.ts';
import type { FetchedAnswer, NoticeFetcher, StoredPartner } from './ports.ts';
import { aPartner } from './testing/fixtures.ts';
import { MemoryNoticeStore, MemoryOnceStore, MemoryPollLog } from './testing/memory-stores.ts';

const SECRET = 'partner-shared-secret-0123456789abcdef';
const MINUTE = 60_000;
const T0 = Date.parse('2020-07-01T12:00:00Z');
const seedNotice = (id: string, effective = true) => ({
  id,
  content: '系统升级',
  begin: '2020-7-2 00:00:00',
  end: '2020-7-3 00:00:00',
  effective,
});

describe('polling a partner', () => {
  const cipher = new FakeCipher();
  let partner: StoredPartner;
  let notices: MemoryNoticeStore;
  let log: MemoryPollLog;
  let answer: () => FetchedAnswer;
  let requests: Record<string, unknown>[];
  let deps: Parameters<typeof pollPartner>[0];
  let now: number;

  beforeEach(async () => {
    now = T0;
    notices = new MemoryNoticeStore();
    log = new MemoryPollLog();
    requests = [];
    partner = {
      ...aPartner('gddianxin', {
        sharedSecretCiphertext: await cipher.encrypt(SECRET, partnerSecretContext('gddianxin')),
        notices: {
          url: 'https://partner.example/notices',
          ourId: 'portico',
          pollIntervalSeconds: 60,
          mapping: DEFAULT_NOTICE_MAPPING,
        },
      }),
      revision: 1,
    };
    answer = () => ({
      ok: true,
      status: 200,
      body: { code: 0, msg: '同步成功', upgradeInfo: [seedNotice('UC-1'), seedNotice('UC-2')] },
    });
    // The simulated partner checks our signature as the seed protocol says, then answers.
    const fetch: NoticeFetcher = async ({ body }) => {
      requests.push(body);
      if (!verifySignedParams(body, [SECRET], now).ok)
        return { ok: true, status: 200, body: { code: 401, msg: 'bad sign' } };
      return answer();
    };
    deps = { notices, once: new MemoryOnceStore(() => now), log, cipher, fetch };
  });

  it('signs its request with the time and our id, and stores the answer’s notices', async () => {
    expect(await pollPartner(deps, partner, now)).toMatchObject({
      result: 'polled',
      recorded: { created: ['UC-1', 'UC-2'] },
    });
    expect(requests[0]).toMatchObject({ appId: 'portico', timestamp: String(T0 / 1000) });
    expect(requests[0]!.sign).toMatch(/^[0-9a-f]{64}$/);
  });

  it('polls once per interval however many pollers run, and writes nothing for a repeated answer', async () => {
    const polls = await Promise.all([1, 2, 3].map(() => pollPartner(deps, partner, now)));
    expect(polls.map((p) => p.result).sort()).toEqual(['polled', 'taken', 'taken']);
    expect(requests).toHaveLength(1);
    now += MINUTE;
    expect(await pollPartner(deps, partner, now)).toMatchObject({
      recorded: { created: [], changed: [], unchanged: ['UC-1', 'UC-2'] },
    });
  });

  it('cancels a notice only on effective=false, and keeps one missing from the answer', async () => {
    await pollPartner(deps, partner, now);
    answer = () => ({ ok: true, status: 200, body: { code: 0, upgradeInfo: [seedNotice('UC-1', false)] } });
    now += MINUTE;
    await pollPartner(deps, partner, now);
    expect((await notices.list('gddianxin')).map((n) => [n.noticeId, n.status, n.changeCount])).toEqual([
      ['UC-1', 'invalid', 1],
      ['UC-2', 'effective', 0],
    ]);
  });

  it('counts failed intervals in a row, and a success resets them', async () => {
    answer = () => ({ ok: false, reason: 'timeout', detail: 'no answer in 5000 ms' });
    expect(await pollPartner(deps, partner, now)).toEqual({
      result: 'failed',
      detail: 'timeout: no answer in 5000 ms',
      consecutiveFailures: 1,
    });
    answer = () => ({ ok: true, status: 200, body: { code: 500, msg: '系统繁忙' } });
    now += MINUTE;
    expect(await pollPartner(deps, partner, now)).toMatchObject({
      detail: 'refused: code 500: 系统繁忙',
      consecutiveFailures: 2,
    });
    answer = () => ({ ok: true, status: 200, body: { code: 0, upgradeInfo: [] } });
    now += MINUTE;
    await pollPartner(deps, partner, now);
    expect((await log.list())[0]).toMatchObject({ consecutiveFailures: 0, lastSuccessAt: now });
  });

  it('opens an answer sealed with the partner key, and fails one that is not', async () => {
    const aesKey = randomBytes(32);
    const sealed = {
      ...partner,
      encrypted: true,
      aesKeyCiphertext: await cipher.encrypt(aesKey.toString('base64'), partnerAesKeyContext('gddianxin')),
    };
    answer = () => ({
      ok: true,
      status: 200,
      body: { encrypted: encryptBody(JSON.stringify({ code: 0, upgradeInfo: [seedNotice('S-1')] }), aesKey) },
    });
    expect(await pollPartner(deps, sealed, now)).toMatchObject({ recorded: { created: ['S-1'] } });
    answer = () => ({ ok: true, status: 200, body: { code: 0, upgradeInfo: [seedNotice('S-2')] } });
    now += MINUTE;
    expect(await pollPartner(deps, sealed, now)).toMatchObject({
      result: 'failed',
      detail: 'the answer is not sealed with the partner key',
    });
  });

  it('raises the alarms: a partner failing N intervals in a row, and every partner failing', () => {
    const statuses = [
      { partnerId: 'a', consecutiveFailures: 3 },
      { partnerId: 'b', consecutiveFailures: 1 },
    ];
    expect(pollingAlarms(statuses, 3)).toEqual({ stuck: ['a'], allFailing: true });
    expect(pollingAlarms([...statuses, { partnerId: 'c', consecutiveFailures: 0 }], 3)).toEqual({
      stuck: ['a'],
      allFailing: false,
    });
    expect(pollingAlarms([], 3)).toEqual({ stuck: [], allFailing: false });
  });

  it('finds the partners whose interval begins within the last minute', () => {
    const every = (id: string, seconds: number): StoredPartner => ({
      ...partner,
      partnerId: id,
      notices: { ...partner.notices!, pollIntervalSeconds: seconds },
    });
    const minuteStart = Math.ceil(T0 / 3_600_000) * 3_600_000;
    const partners = [
      every('each-minute', 60),
      every('hourly', 3_600),
      { ...partner, partnerId: 'no-feed', notices: undefined },
    ];
    expect(partnersDue(partners, minuteStart)).toEqual(['each-minute', 'hourly']);
    expect(partnersDue(partners, minuteStart + 60_000)).toEqual(['each-minute']);
  });
});
