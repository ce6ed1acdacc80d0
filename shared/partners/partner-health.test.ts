import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type HealthPolicy, INITIAL_HEALTH } from './health-machine.ts';
import type { Notice } from './notice.ts';
import {
  defaultHealth,
  defaultOrderOf,
  type PartnerHealth,
  type PartnerSnapshot,
  partnerHealth,
  rankPartners,
} from './partner-health.ts';

const policy: HealthPolicy = {
  probeFailures: 3,
  minCalls: 20,
  minSuccessRate: 0.9,
  maxLatencyMs: 2_000,
  latencyPercentile: 95,
  probesToRamp: 3,
  ramp: [
    { percent: 1, minDurationMs: 1, minCalls: 1 },
    { percent: 25, minDurationMs: 1, minCalls: 1 },
    { percent: 100, minDurationMs: 1, minCalls: 1 },
  ],
  backoff: { baseMs: 1, maxMs: 1 },
};
const NOW = Date.parse('2026-12-03T12:00:00Z');
const notice: Notice = {
  partnerId: 'p',
  noticeId: 'n1',
  source: 'partner',
  content: 'maintenance',
  begin: NOW - 1000,
  end: NOW + 1000,
  status: 'effective',
  createdAt: NOW - 5000,
  updatedAt: NOW - 5000,
  operatorId: 'partner:p',
  changeCount: 0,
};
const snapshot = (change: Partial<PartnerSnapshot> = {}): PartnerSnapshot => ({
  partnerId: 'p',
  automatic: INITIAL_HEALTH,
  policy,
  notices: [],
  switches: { partnerNotices: true },
  readAt: NOW - 2000,
  ...change,
});

describe('partner health', () => {
  it('is healthy with no notice and a healthy machine', () => {
    expect(partnerHealth(snapshot(), NOW)).toEqual({
      partnerId: 'p',
      healthy: true,
      standing: 'healthy',
      phase: 'healthy',
      admittedPercent: 100,
      notices: [],
      asOf: new Date(NOW - 2000).toISOString(),
      degraded: false,
    } satisfies PartnerHealth);
  });

  it('is unhealthy while a notice is in force, whatever the machine says, and names the notice', () => {
    const answer = partnerHealth(snapshot({ notices: [notice] }), NOW);
    expect(answer).toMatchObject({ healthy: false, standing: 'unhealthy', admittedPercent: 0 });
    expect(answer.notices).toEqual([
      {
        noticeId: 'n1',
        source: 'partner',
        content: 'maintenance',
        begin: new Date(NOW - 1000).toISOString(),
        end: new Date(NOW + 1000).toISOString(),
      },
    ]);
    expect(
      partnerHealth(snapshot({ notices: [notice], switches: { partnerNotices: false } }), NOW).healthy,
    ).toBe(true);
    expect(partnerHealth(snapshot({ notices: [notice] }), NOW + 1000).healthy).toBe(true);
  });

  it('lets the ramp step share through while ramping, its own automatic notice shown but not closing it', () => {
    const automatic: Notice = { ...notice, noticeId: 'auto-1', source: 'automatic', operatorId: 'system' };
    const ramping = snapshot({
      automatic: { ...INITIAL_HEALTH, phase: 'ramping', step: 1 },
      notices: [automatic],
    });
    expect(partnerHealth(ramping, NOW)).toMatchObject({
      standing: 'ramping',
      admittedPercent: 25,
      healthy: false,
      notices: [{ noticeId: 'auto-1', source: 'automatic' }],
    });
    // A partner's notice in force overrules the ramp.
    expect(partnerHealth({ ...ramping, notices: [automatic, notice] }, NOW)).toMatchObject({
      standing: 'unhealthy',
      admittedPercent: 0,
    });
  });

  it('answers the configured default, flagged degraded, when nothing is known', () => {
    expect(defaultHealth('p', true, NOW)).toMatchObject({ healthy: true, phase: 'unknown', degraded: true });
    expect(defaultHealth('p', false, NOW)).toMatchObject({ healthy: false, admittedPercent: 0 });
  });

  it('ranks healthy, ramping, unhealthy, ties in the default order, unlisted partners last by id', () => {
    const of = (partnerId: string, standing: PartnerHealth['standing']) =>
      ({ ...defaultHealth(partnerId, true, NOW), standing }) as PartnerHealth;
    const ranked = rankPartners(
      [of('z', 'healthy'), of('c', 'unhealthy'), of('b', 'healthy'), of('a', 'ramping'), of('y', 'healthy')],
      ['c', 'b', 'a'],
    );
    expect(ranked.map((h) => h.partnerId)).toEqual(['b', 'y', 'z', 'a', 'c']);
  });

  it('ranks by the default order itself when every answer is the default', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[a-z]{1,6}$/), { minLength: 1, maxLength: 10 }),
        (order) => {
          const answers = [...order].reverse().map((id) => defaultHealth(id, true, NOW));
          expect(rankPartners(answers, order).map((h) => h.partnerId)).toEqual(order);
        },
      ),
    );
  });

  it('gives the share of calls to admit: the ramp step while ramping, all when healthy, none when not', () => {
    const ramping = partnerHealth(
      snapshot({ automatic: { ...INITIAL_HEALTH, phase: 'ramping', step: 1 } }),
      NOW,
    );
    expect(ramping.admittedPercent).toBe(25);
    expect(partnerHealth(snapshot(), NOW).admittedPercent).toBe(100);
    expect(defaultHealth('p', false, NOW).admittedPercent).toBe(0);
  });
});

describe('the default order', () => {
  it('puts ranked partners first by rank, then the others as the caller listed them', () => {
    const answer = (partnerId: string, rank?: number) => ({
      ...defaultHealth(partnerId, true, NOW),
      ...(rank === undefined ? {} : { rank }),
    });
    expect(defaultOrderOf([answer('x'), answer('b', 20), answer('y'), answer('a', 10)])).toEqual([
      'a',
      'b',
      'x',
      'y',
    ]);
  });
});
