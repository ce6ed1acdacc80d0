import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  admittedShare,
  backoffMs,
  evaluate,
  type HealthObservation,
  type HealthPhase,
  type HealthPolicy,
  type HealthState,
  INITIAL_HEALTH,
  missesGate,
  TRANSITIONS,
} from './health-machine.ts';

const POLICY: HealthPolicy = {
  probeFailures: 3,
  minCalls: 20,
  minSuccessRate: 0.9,
  maxLatencyMs: 2_000,
  latencyPercentile: 95,
  probesToRamp: 3,
  ramp: [
    { percent: 1, minDurationMs: 60_000, minCalls: 20, maxDurationMs: 600_000 },
    { percent: 5, minDurationMs: 60_000, minCalls: 20 },
    { percent: 25, minDurationMs: 120_000, minCalls: 50 },
    { percent: 100, minDurationMs: 120_000, minCalls: 100 },
  ],
  backoff: { baseMs: 60_000, maxMs: 3_600_000 },
};

const good = (now: number, count = 200): HealthObservation => ({
  now,
  probe: 'passed',
  probeFailuresInRow: 0,
  calls: { count, succeeded: count, slow: 0 },
});
const failingTraffic = (now: number): HealthObservation => ({
  now,
  probeFailuresInRow: 0,
  calls: { count: 100, succeeded: 50, slow: 0 },
});

function run(policy: HealthPolicy, start: HealthState, seen: HealthObservation[]) {
  const steps = [];
  let state = start;
  for (const observation of seen) {
    const step = evaluate(state, policy, observation);
    steps.push({ before: state, at: observation.now, ...step });
    state = step.state;
  }
  return { state, steps };
}

describe('the partner health machine', () => {
  it('is the table docs/partner-health.md shows, row for row', () => {
    const rows = TRANSITIONS.map(
      (t) => `| ${t.from} | ${t.event} | ${t.to} | ${t.actions.join(', ') || '—'} | ${t.why} |`,
    );
    const table = ['| From | Event | To | Actions | When |', '| --- | --- | --- | --- | --- |', ...rows].join(
      '\n',
    );
    const docs = readFileSync(path.join(import.meta.dirname, '../../docs/partner-health.md'), 'utf8');
    const shown = docs
      .split('\n')
      .filter((line) => line.startsWith('| '))
      .join('\n');
    expect(shown).toBe(table);
  });

  it('has exactly one transition per phase and event', () => {
    const keys = TRANSITIONS.map((t) => `${t.from}/${t.event}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('opens on failing traffic, backs off, probes, walks every ramp step and closes', () => {
    const { state, steps } = run(POLICY, INITIAL_HEALTH, [
      failingTraffic(0),
      good(30_000),
      good(60_000),
      good(61_000),
      good(62_000),
      good(63_000),
      good(90_000),
      good(123_000),
      good(183_000),
      good(303_000),
      good(423_000),
    ]);
    expect(steps.map((s) => [s.event, s.state.phase, s.state.step])).toEqual([
      ['degraded', 'unhealthy', 0],
      ['backoff-running', 'unhealthy', 0],
      ['backoff-elapsed', 'probing', 0],
      ['probe-passed', 'probing', 0],
      ['probe-passed', 'probing', 0],
      ['probes-enough', 'ramping', 0],
      ['step-pending', 'ramping', 0],
      ['step-passed', 'ramping', 1],
      ['step-passed', 'ramping', 2],
      ['step-passed', 'ramping', 3],
      ['ramp-completed', 'healthy', 0],
    ]);
    expect(steps[0]!.transition.actions).toEqual(['open-automatic-notice']);
    expect(steps.at(-1)!.transition.actions).toContain('end-automatic-notice');
    expect(state.failedRecoveries).toBe(0);
  });

  it('sends a failed step back to unhealthy and waits twice as long the next time', () => {
    const ramping: HealthState = { ...INITIAL_HEALTH, phase: 'ramping', step: 2, since: 0 };
    const { state } = run(POLICY, ramping, [failingTraffic(10_000)]);
    expect(state).toMatchObject({ phase: 'unhealthy', since: 10_000, failedRecoveries: 1, step: 0 });
    expect(run(POLICY, state, [good(10_000 + 119_999)]).state.phase).toBe('unhealthy');
    expect(run(POLICY, state, [good(10_000 + 120_000)]).state.phase).toBe('probing');
  });

  it('lets a quiet partner through a step after its longest duration, never before its shortest', () => {
    const ramping: HealthState = { ...INITIAL_HEALTH, phase: 'ramping', step: 0, since: 0 };
    expect(run(POLICY, ramping, [good(599_999, 3)]).state.step).toBe(0);
    expect(run(POLICY, ramping, [good(600_000, 3)]).state.step).toBe(1);
    expect(run(POLICY, ramping, [good(59_999, 500)]).state.step).toBe(0);
  });

  it('ignores too few calls while healthy, and opens on probe failures alone', () => {
    const few = { ...failingTraffic(0), calls: { count: 19, succeeded: 0, slow: 19 } };
    expect(evaluate(INITIAL_HEALTH, POLICY, few).state.phase).toBe('healthy');
    const probes = { ...good(0), probe: 'failed' as const, probeFailuresInRow: 3 };
    expect(evaluate(INITIAL_HEALTH, POLICY, probes).event).toBe('degraded');
  });

  it('reads the latency rule as a percentile: p95 over the threshold when more than 5 % of calls are slow', () => {
    const calls = (slow: number) => ({ count: 100, succeeded: 100, slow });
    expect(missesGate(POLICY, calls(5))).toBe(false);
    expect(missesGate(POLICY, calls(6))).toBe(true);
    expect(
      missesGate({ ...POLICY, latencyPercentile: 99.9 }, { count: 1000, succeeded: 1000, slow: 1 }),
    ).toBe(false);
    expect(
      missesGate({ ...POLICY, latencyPercentile: 99.9 }, { count: 1000, succeeded: 1000, slow: 2 }),
    ).toBe(true);
    expect(missesGate(POLICY, { count: 100, succeeded: 89, slow: 0 })).toBe(true);
  });

  it('caps the backoff', () => {
    expect(backoffMs(POLICY, 0)).toBe(60_000);
    expect(backoffMs(POLICY, 3)).toBe(480_000);
    expect(backoffMs(POLICY, 1_000)).toBe(3_600_000);
  });

  it('lets through none while unhealthy or probing, the step share while ramping, all when healthy', () => {
    const share = (phase: HealthPhase, step = 0) => admittedShare({ ...INITIAL_HEALTH, phase, step }, POLICY);
    expect([
      share('unhealthy'),
      share('probing'),
      share('ramping', 0),
      share('ramping', 2),
      share('healthy'),
    ]).toEqual([0, 0, 0.01, 0.25, 1]);
  });

  describe('on any sequence of observations', () => {
    const observation = fc.record({
      advanceMs: fc.integer({ min: 0, max: 400_000 }),
      probe: fc.constantFrom<HealthObservation['probe']>('passed', 'failed', undefined),
      probeFailuresInRow: fc.integer({ min: 0, max: 5 }),
      count: fc.integer({ min: 0, max: 300 }),
      failedShare: fc.constantFrom(0, 0, 0, 0.05, 0.5, 1),
      slowShare: fc.constantFrom(0, 0, 0.05, 0.06, 1),
      cleared: fc.constantFrom(false, false, false, false, false, false, false, true),
    });
    const timeline = fc.array(observation, { minLength: 1, maxLength: 80 }).map((items) => {
      let now = 0;
      return items.map((o) => {
        now += o.advanceMs;
        return {
          now,
          probe: o.probe,
          probeFailuresInRow: o.probeFailuresInRow,
          calls: {
            count: o.count,
            succeeded: Math.round(o.count * (1 - o.failedShare)),
            slow: Math.round(o.count * o.slowShare),
          },
          ...(o.cleared ? { clearedByOperator: true } : {}),
        } satisfies HealthObservation;
      });
    });

    it('skips no step, respects every minimum duration and backoff, and opens or closes only as the table says', () => {
      fc.assert(
        fc.property(timeline, (seen) => {
          const { steps } = run(POLICY, INITIAL_HEALTH, seen);
          for (const { before, at, state, transition } of steps) {
            expect(state.phase).toBe(transition.to);
            const lasted = at - before.since;
            if (before.phase === 'ramping' && state.phase === 'ramping') {
              expect([before.step, before.step + 1]).toContain(state.step);
              if (state.step > before.step)
                expect(lasted).toBeGreaterThanOrEqual(POLICY.ramp[before.step]!.minDurationMs);
            }
            if (transition.event === 'ramp-completed') {
              expect(before.step).toBe(POLICY.ramp.length - 1);
              expect(lasted).toBeGreaterThanOrEqual(POLICY.ramp.at(-1)!.minDurationMs);
            }
            if (state.phase === 'ramping' && before.phase !== 'ramping') {
              expect(before.phase).toBe('probing');
              expect(state.step).toBe(0);
            }
            if (before.phase === 'unhealthy' && state.phase === 'probing') {
              expect(lasted).toBeGreaterThanOrEqual(backoffMs(POLICY, before.failedRecoveries));
            }
            if (state.phase === 'healthy' && before.phase !== 'healthy') {
              expect(['ramp-completed', 'operator-cleared']).toContain(transition.event);
            }
          }
        }),
        { numRuns: 500 },
      );
    });

    it('always ends: from wherever it got, good observations bring it back to healthy in bounded steps', () => {
      fc.assert(
        fc.property(timeline, (seen) => {
          const { state } = run(POLICY, INITIAL_HEALTH, seen);
          let now = seen.at(-1)!.now;
          let current = state;
          let evaluations = 0;
          while (current.phase !== 'healthy') {
            now += 60_000;
            current = evaluate(current, POLICY, good(now)).state;
            evaluations++;
            // Backoff (≤ 60 min) + probes (3) + four steps of ≤ 2 min, at one evaluation a minute.
            expect(evaluations).toBeLessThanOrEqual(60 + 3 + 4 * 2 + 2);
          }
        }),
        { numRuns: 300 },
      );
    });
  });
});
