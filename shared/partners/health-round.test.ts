import { describe, expect, it } from 'vitest';
import { type HealthObservation, type HealthPolicy, INITIAL_HEALTH } from './health-machine.ts';
import { evaluateRound, type PartnerUnderWatch } from './health-round.ts';

const policy: HealthPolicy = {
  probeFailures: 3,
  minCalls: 10,
  minSuccessRate: 0.9,
  maxLatencyMs: 1_000,
  latencyPercentile: 95,
  probesToRamp: 2,
  ramp: [{ percent: 100, minDurationMs: 1, minCalls: 1 }],
  backoff: { baseMs: 60_000, maxMs: 60_000 },
};
const ok: HealthObservation = {
  now: 1_000,
  probeFailuresInRow: 0,
  calls: { count: 50, succeeded: 50, slow: 0 },
};
const failing: HealthObservation = { ...ok, probe: 'failed', probeFailuresInRow: 5 };
const GUARD = { maxUnhealthyShare: 0.5, minUnhealthyPartners: 3 };
const partner = (
  partnerId: string,
  seen: HealthObservation,
  phase = INITIAL_HEALTH.phase,
): PartnerUnderWatch => ({
  partnerId,
  state: { ...INITIAL_HEALTH, phase },
  policy,
  seen,
});

describe('a round of automatic health', () => {
  it('opens notices for the failing partners while they are few', () => {
    const round = evaluateRound(
      [partner('a', failing), partner('b', ok), partner('c', ok), partner('d', ok)],
      GUARD,
    );
    expect(round.panic).toBe(false);
    expect(round.steps.get('a')!.state.phase).toBe('unhealthy');
    expect(round.steps.get('b')!.state.phase).toBe('healthy');
  });

  it('holds every new notice when too many would be unhealthy at once, and says so', () => {
    const round = evaluateRound(
      [partner('a', failing), partner('b', failing), partner('c', ok, 'unhealthy'), partner('d', ok)],
      GUARD,
    );
    expect(round.panic).toBe(true);
    expect(round.held).toEqual(['a', 'b']);
    expect(round.steps.get('a')!.state.phase).toBe('healthy');
    expect(round.steps.get('b')!.transition.actions).toEqual([]);
    // One already unhealthy goes on as the machine says.
    expect(round.steps.get('c')!.state.phase).toBe('unhealthy');
  });

  it('never panics over fewer partners than the minimum: one partner of one failing is detected', () => {
    const alone = evaluateRound([partner('a', failing)], GUARD);
    expect(alone.panic).toBe(false);
    expect(alone.steps.get('a')!.state.phase).toBe('unhealthy');
    const two = evaluateRound([partner('a', failing), partner('b', failing), partner('c', ok)], GUARD);
    expect(two.panic).toBe(false);
  });

  it('answers an empty round without panic', () => {
    expect(evaluateRound([], GUARD)).toMatchObject({ panic: false, held: [] });
  });
});
