import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_EVALUATE_OPTIONS, evaluateHealth } from './evaluate-health.ts';
import type { HealthPolicy } from './health-machine.ts';
import type { PartnerTransition, StoredPartner } from './ports.ts';
import { aPartner } from './testing/fixtures.ts';
import {
  MemoryHealthStateStore,
  MemoryNoticeStore,
  MemoryOnceStore,
  MemoryPartnerStore,
  MemoryTrafficStore,
  MemoryTransitionLog,
} from './testing/memory-stores.ts';

const MINUTE = 60_000;
const T0 = 29_000_000 * MINUTE;
const policy: HealthPolicy = {
  probeFailures: 2,
  minCalls: 10,
  minSuccessRate: 0.9,
  maxLatencyMs: 1_000,
  latencyPercentile: 95,
  probesToRamp: 2,
  ramp: [
    { percent: 10, minDurationMs: MINUTE, minCalls: 5 },
    { percent: 100, minDurationMs: MINUTE, minCalls: 5 },
  ],
  backoff: { baseMs: MINUTE, maxMs: 10 * MINUTE },
};

describe('a round of automatic health', () => {
  let partners: MemoryPartnerStore;
  let states: MemoryHealthStateStore;
  let notices: MemoryNoticeStore;
  let traffic: MemoryTrafficStore;
  let probeResults: Map<string, boolean>;
  let published: PartnerTransition[];
  let history: MemoryTransitionLog;
  let failPublish: boolean;
  let deps: Parameters<typeof evaluateHealth>[0];
  let now: number;

  const calls = (partnerId: string, count: number, succeeded: number) =>
    traffic.put(partnerId, 'i1', {
      start: Math.floor(now / MINUTE) * MINUTE,
      calls: count,
      succeeded,
      slow: 0,
    });
  const round = async () => {
    const result = await evaluateHealth(deps, now);
    now += MINUTE;
    return result;
  };
  const phaseOf = async (id: string) => (await states.get(id))?.watch.state.phase;

  beforeEach(async () => {
    now = T0;
    partners = new MemoryPartnerStore();
    states = new MemoryHealthStateStore();
    notices = new MemoryNoticeStore();
    traffic = new MemoryTrafficStore();
    probeResults = new Map();
    published = [];
    history = new MemoryTransitionLog();
    failPublish = false;
    deps = {
      partners,
      states,
      notices,
      traffic,
      once: new MemoryOnceStore(() => now),
      probe: async (target) => {
        const passed = probeResults.get(target.url) ?? true;
        return { passed, detail: passed ? '200' : '503' };
      },
      publish: async (transitions) => {
        if (failPublish) throw new Error('bus down');
        published.push(...transitions);
      },
      history,
    };
    for (const id of ['a', 'b', 'c', 'd']) {
      const partner: Omit<StoredPartner, 'revision'> = {
        ...aPartner(id),
        policy,
        probe: {
          url: `https://${id}.example/ping`,
          method: 'GET',
          passStatus: { min: 200, max: 399 },
          timeoutMs: 1000,
        },
      };
      await partners.put(partner);
    }
  });

  it('opens an automatic notice on failing calls and walks the recovery back, ending it', async () => {
    await calls('a', 20, 5);
    await round();
    expect(await phaseOf('a')).toBe('unhealthy');
    const [opened] = await notices.list('a');
    expect(opened).toMatchObject({
      source: 'automatic',
      status: 'effective',
      operatorId: 'system',
      changeCount: 0,
    });
    expect(opened!.content).toContain('20 calls, 25.0 % succeeded');
    expect(published).toMatchObject([
      { partnerId: 'a', from: 'healthy', to: 'unhealthy', event: 'degraded', admittedPercent: 0 },
    ]);

    for (let i = 0; i < 8 && (await phaseOf('a')) !== 'healthy'; i++) {
      await calls('a', 20, 20);
      await round();
    }
    expect(await phaseOf('a')).toBe('healthy');
    expect(published.map((t) => `${t.from}>${t.to}@${t.admittedPercent}`)).toEqual([
      'healthy>unhealthy@0',
      'unhealthy>probing@0',
      'probing>ramping@10',
      'ramping>ramping@100',
      'ramping>healthy@100',
    ]);
    const [ended] = await notices.list('a');
    expect(ended).toMatchObject({ noticeId: opened!.noticeId, status: 'invalid', changeCount: 1 });
    // The console's history: the same transitions, newest first.
    expect((await history.list('a', { limit: 10 })).items).toEqual([...published].reverse());
    expect(new Set(published.map((t) => t.eventId)).size).toBe(published.length);
  });

  it('does not reopen a notice just closed from the failures that opened it', async () => {
    const quick: HealthPolicy = {
      ...policy,
      probesToRamp: 1,
      ramp: [{ percent: 100, minDurationMs: 0, minCalls: 5 }],
    };
    await partners.put({ ...(await partners.get('a'))!, policy: quick });
    await calls('a', 20, 0);
    for (let i = 0; i < 3; i++) await round();
    await calls('a', 5, 5);
    await round();
    expect(await phaseOf('a')).toBe('healthy');
    // The 20 failed calls are still inside the detection windows, but from before the recovery.
    await round();
    await round();
    expect(await phaseOf('a')).toBe('healthy');
    expect(published.map((t) => t.to)).toEqual(['unhealthy', 'probing', 'ramping', 'healthy']);
  });

  it('lets an operator overrule detection by deleting the automatic notice', async () => {
    await calls('a', 20, 0);
    await round();
    const [opened] = await notices.list('a');
    await notices.save({ ...opened!, status: 'invalid', clearedBy: 'user_ops', changeCount: 1 }, 0);
    await round();
    expect(await phaseOf('a')).toBe('healthy');
    expect(published.map((t) => `${t.from}>${t.to}:${t.event}`)).toEqual([
      'healthy>unhealthy:degraded',
      'unhealthy>healthy:operator-cleared',
    ]);
    expect((await states.get('a'))?.watch.automaticNoticeId).toBeUndefined();
  });

  it('runs one round per window however many evaluators start', async () => {
    const results = await Promise.all([1, 2, 3].map(() => evaluateHealth(deps, now)));
    expect(results.filter((r) => 'skipped' in r)).toHaveLength(2);
    const short = { ...DEFAULT_EVALUATE_OPTIONS, windowMs: 2_000 };
    expect(await evaluateHealth(deps, now + 1_000, short)).not.toHaveProperty('skipped');
    expect(await evaluateHealth(deps, now + 1_500, short)).toEqual({ skipped: 'taken' });
    expect(await evaluateHealth(deps, now + 2_000, short)).not.toHaveProperty('skipped');
  });

  it('holds new notices when most partners fail at once (our fault, likely), and says so', async () => {
    for (const id of ['a', 'b', 'c']) probeResults.set(`https://${id}.example/ping`, false);
    await round();
    const second = await round();
    expect(second).toMatchObject({ panic: true, held: ['a', 'b', 'c'] });
    expect(await phaseOf('a')).toBe('healthy');
    expect(await notices.list('a')).toEqual([]);
  });

  it('mends a notice a crash left behind, and one missing', async () => {
    await states.save(
      'a',
      {
        state: { phase: 'unhealthy', since: now, step: 0, probesPassed: 0, failedRecoveries: 0 },
        probeFailuresInRow: 0,
        automaticNoticeId: 'auto-1',
      },
      0,
    );
    await notices.save(
      {
        partnerId: 'b',
        noticeId: 'auto-2',
        source: 'automatic',
        content: 'x',
        begin: now - 1,
        end: now + MINUTE * 60,
        status: 'effective',
        createdAt: 0,
        updatedAt: 0,
        operatorId: 'system',
        changeCount: 0,
      },
      undefined,
    );
    await round();
    expect(await notices.list('a')).toMatchObject([{ noticeId: 'auto-1', status: 'effective' }]);
    expect(await notices.list('b')).toMatchObject([
      { noticeId: 'auto-2', status: 'invalid', changeCount: 1 },
    ]);
  });

  it('keeps a transition it could not publish and publishes it the next round', async () => {
    await calls('a', 20, 0);
    failPublish = true;
    expect(await round()).toMatchObject({ unpublished: [{ partnerId: 'a', error: 'bus down' }] });
    expect((await states.get('a'))?.watch.outbox).toHaveLength(1);
    failPublish = false;
    await round();
    // The kept transition first, then this round's own (the backoff of one minute has passed).
    expect(published.map((t) => t.to)).toEqual(['unhealthy', 'probing']);
    expect((await states.get('a'))?.watch.outbox).toBeUndefined();
  });
});
