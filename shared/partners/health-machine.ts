/**
 * A partner's automatic health: detection opens an automatic notice, recovery probes first and then
 * gives real traffic back in gray steps (seed 003 §7.2–7.4). The machine is the transition table
 * below, and nothing else: `classify` turns what was observed into one event, `TRANSITIONS` says what
 * that event does in the current phase. docs/partner-health.md shows the same table (a test compares).
 */

export type HealthPhase = 'healthy' | 'unhealthy' | 'probing' | 'ramping';

export type HealthEvent =
  | 'degraded'
  | 'steady'
  | 'backoff-running'
  | 'backoff-elapsed'
  | 'probe-awaited'
  | 'probe-passed'
  | 'probes-enough'
  | 'probe-failed'
  | 'step-pending'
  | 'step-passed'
  | 'ramp-completed'
  | 'step-failed'
  | 'operator-cleared';

export type HealthAction =
  | 'open-automatic-notice'
  | 'end-automatic-notice'
  | 'count-probe'
  | 'start-probing'
  | 'next-step'
  | 'first-step'
  | 'back-off-longer'
  | 'forget-failures';

export interface Transition {
  from: HealthPhase;
  event: HealthEvent;
  to: HealthPhase;
  actions: readonly HealthAction[];
  why: string;
}

export const TRANSITIONS: readonly Transition[] = [
  {
    from: 'healthy',
    event: 'degraded',
    to: 'unhealthy',
    actions: ['open-automatic-notice'],
    why: 'probe failures ≥ N, or calls ≥ minimum and (success rate < S or latency > L)',
  },
  { from: 'healthy', event: 'steady', to: 'healthy', actions: [], why: 'neither rule fires' },
  {
    from: 'unhealthy',
    event: 'backoff-running',
    to: 'unhealthy',
    actions: [],
    why: 'less than the backoff since it became unhealthy',
  },
  {
    from: 'unhealthy',
    event: 'backoff-elapsed',
    to: 'probing',
    actions: ['start-probing'],
    why: 'the backoff (base × 2^failed recoveries, capped) has passed',
  },
  {
    from: 'probing',
    event: 'probe-awaited',
    to: 'probing',
    actions: [],
    why: 'no probe result since the last evaluation',
  },
  {
    from: 'probing',
    event: 'probe-passed',
    to: 'probing',
    actions: ['count-probe'],
    why: 'a probe passed, fewer than M in a row so far',
  },
  {
    from: 'probing',
    event: 'probes-enough',
    to: 'ramping',
    actions: ['first-step'],
    why: 'the M-th probe in a row passed',
  },
  {
    from: 'probing',
    event: 'probe-failed',
    to: 'unhealthy',
    actions: ['back-off-longer'],
    why: 'a probe failed',
  },
  {
    from: 'ramping',
    event: 'step-pending',
    to: 'ramping',
    actions: [],
    why: 'the step has not lasted its minimum duration or seen its minimum calls',
  },
  {
    from: 'ramping',
    event: 'step-passed',
    to: 'ramping',
    actions: ['next-step'],
    why: 'duration and calls reached, success and latency within the gate; not the last step',
  },
  {
    from: 'ramping',
    event: 'ramp-completed',
    to: 'healthy',
    actions: ['end-automatic-notice', 'forget-failures'],
    why: 'the last step (100 %) passed its gate',
  },
  {
    from: 'ramping',
    event: 'step-failed',
    to: 'unhealthy',
    actions: ['back-off-longer'],
    why: 'a probe failed, or the calls reached the minimum and missed the gate',
  },
  ...(['unhealthy', 'probing', 'ramping'] as const).map(
    (from): Transition => ({
      from,
      event: 'operator-cleared',
      to: 'healthy',
      actions: ['forget-failures'],
      why: 'an operator deleted the automatic notice (seed: operators overrule detection)',
    }),
  ),
];

export interface RampStep {
  /** Share of calls let through, 1 to 100. */
  percent: number;
  minDurationMs: number;
  minCalls: number;
  /**
   * A step whose calls never reach `minCalls` (a quiet partner) passes after this long if its probes
   * pass and the calls it saw met the gate; absent, it waits for its calls.
   */
  maxDurationMs?: number;
}

/** Every threshold of a partner's automatic health (seed: 判断健康的所有指标都可配置). */
export interface HealthPolicy {
  /** Probe failures in a row that make a healthy partner unhealthy. */
  probeFailures: number;
  /** Calls in the detection window below which traffic decides nothing. */
  minCalls: number;
  /** Below this share of successful calls (0–1) the partner is degraded. */
  minSuccessRate: number;
  /** Degraded when the `latencyPercentile`-th percentile of call latency exceeds this (ms). */
  maxLatencyMs: number;
  /** 50–99.9: the percentile the latency rule reads, e.g. 95. */
  latencyPercentile: number;
  /** Probes in a row that must pass before real traffic is tried again. */
  probesToRamp: number;
  ramp: readonly RampStep[];
  backoff: { baseMs: number; maxMs: number };
}

export interface HealthState {
  phase: HealthPhase;
  /** When the phase, or the ramp step, began (epoch ms). */
  since: number;
  /** Index into `policy.ramp` while ramping. */
  step: number;
  /** Probes passed in a row while probing. */
  probesPassed: number;
  /** Recoveries that failed in a row: each doubles the wait before probing again. */
  failedRecoveries: number;
}

/** What was seen since the last evaluation: a probe's result, and the calls of the current window. */
export interface HealthObservation {
  now: number;
  probe?: 'passed' | 'failed';
  /** Failed probes in a row up to now (detection while healthy). */
  probeFailuresInRow: number;
  /** Calls to the partner's APIs in the detection window (healthy) or since the step began (ramping). */
  calls: CallCounts;
  /** An operator deleted the automatic notice of this episode. */
  clearedByOperator?: boolean;
}

export const INITIAL_HEALTH: HealthState = {
  phase: 'healthy',
  since: 0,
  step: 0,
  probesPassed: 0,
  failedRecoveries: 0,
};

export function backoffMs(policy: HealthPolicy, failedRecoveries: number): number {
  return Math.min(policy.backoff.maxMs, policy.backoff.baseMs * 2 ** Math.min(failedRecoveries, 30));
}

/**
 * Calls counted in a window. `slow` counts those slower than the policy's `maxLatencyMs`: the p-th
 * percentile exceeds the threshold exactly when more than (100 − p) % of the calls do, so one counter,
 * summed across instances, decides the latency rule without a histogram.
 */
export interface CallCounts {
  count: number;
  succeeded: number;
  slow: number;
}

export const missesGate = (policy: HealthPolicy, calls: CallCounts): boolean =>
  calls.count > 0 &&
  (calls.succeeded / calls.count < policy.minSuccessRate ||
    calls.slow * 1000 > calls.count * Math.round((100 - policy.latencyPercentile) * 10));

/** The one event that what was observed means in the current phase. */
export function classify(state: HealthState, policy: HealthPolicy, seen: HealthObservation): HealthEvent {
  if (state.phase !== 'healthy' && seen.clearedByOperator) return 'operator-cleared';
  switch (state.phase) {
    case 'healthy': {
      const probesDown = seen.probeFailuresInRow >= policy.probeFailures;
      const trafficDown = seen.calls.count >= policy.minCalls && missesGate(policy, seen.calls);
      return probesDown || trafficDown ? 'degraded' : 'steady';
    }
    case 'unhealthy':
      return seen.now - state.since >= backoffMs(policy, state.failedRecoveries)
        ? 'backoff-elapsed'
        : 'backoff-running';
    case 'probing':
      if (seen.probe === 'failed') return 'probe-failed';
      if (seen.probe !== 'passed') return 'probe-awaited';
      return state.probesPassed + 1 >= policy.probesToRamp ? 'probes-enough' : 'probe-passed';
    case 'ramping': {
      const step = policy.ramp[state.step]!;
      if (seen.probe === 'failed') return 'step-failed';
      if (seen.calls.count >= step.minCalls && missesGate(policy, seen.calls)) return 'step-failed';
      const lasted = seen.now - state.since;
      const enoughCalls = seen.calls.count >= step.minCalls;
      const quietLongEnough = step.maxDurationMs !== undefined && lasted >= step.maxDurationMs;
      if (lasted < step.minDurationMs || !(enoughCalls || quietLongEnough)) return 'step-pending';
      if (missesGate(policy, seen.calls)) return 'step-failed';
      return state.step + 1 >= policy.ramp.length ? 'ramp-completed' : 'step-passed';
    }
  }
}

export interface Step {
  state: HealthState;
  event: HealthEvent;
  transition: Transition;
  /** True when the phase or the ramp step changed: an event worth publishing. */
  moved: boolean;
}

/** Runs one evaluation: the event `classify` finds, and what the table says it does. */
export function evaluate(state: HealthState, policy: HealthPolicy, seen: HealthObservation): Step {
  const event = classify(state, policy, seen);
  const transition = transitionFor(state.phase, event);
  const next = applyActions({ ...state, phase: transition.to }, transition, seen.now);
  const moved = next.phase !== state.phase || next.step !== state.step;
  return { state: moved ? { ...next, since: seen.now } : next, event, transition, moved };
}

export function transitionFor(phase: HealthPhase, event: HealthEvent): Transition {
  const found = TRANSITIONS.find((t) => t.from === phase && t.event === event);
  if (!found) throw new Error(`no transition for ${event} while ${phase}`);
  return found;
}

function applyActions(state: HealthState, transition: Transition, now: number): HealthState {
  let next = state;
  for (const action of transition.actions) {
    switch (action) {
      case 'start-probing':
        next = { ...next, probesPassed: 0 };
        break;
      case 'count-probe':
        next = { ...next, probesPassed: next.probesPassed + 1 };
        break;
      case 'first-step':
        next = { ...next, step: 0, probesPassed: 0 };
        break;
      case 'next-step':
        next = { ...next, step: next.step + 1, since: now };
        break;
      case 'back-off-longer':
        next = { ...next, step: 0, probesPassed: 0, failedRecoveries: next.failedRecoveries + 1 };
        break;
      case 'forget-failures':
        next = { ...next, step: 0, failedRecoveries: 0 };
        break;
      case 'open-automatic-notice':
      case 'end-automatic-notice':
        // Effects on notices: the caller acts on them (automatic-notices.ts); the state is unchanged.
        break;
    }
  }
  return next;
}

/** The share of calls (0–1) the partner's automatic health lets through. */
export function admittedShare(state: HealthState, policy: HealthPolicy): number {
  switch (state.phase) {
    case 'healthy':
      return 1;
    case 'ramping':
      return (policy.ramp[state.step]?.percent ?? 100) / 100;
    default:
      return 0;
  }
}
