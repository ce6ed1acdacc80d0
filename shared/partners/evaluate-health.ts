import {
  admittedShare,
  type HealthObservation,
  type HealthPolicy,
  INITIAL_HEALTH,
  type Step,
} from './health-machine.ts';
import { evaluateRound, type PanicGuard, type PartnerUnderWatch } from './health-round.ts';
import type { Notice } from './notice.ts';
import type {
  HealthStateStore,
  NoticeStore,
  OnceStore,
  PartnerEvents,
  PartnerStore,
  PartnerTransition,
  PartnerWatch,
  Prober,
  StoredPartner,
  TrafficStore,
  TransitionLog,
} from './ports.ts';

export interface EvaluateDeps {
  partners: Pick<PartnerStore, 'list'>;
  states: HealthStateStore;
  notices: NoticeStore;
  traffic: Pick<TrafficStore, 'read'>;
  once: OnceStore;
  probe: Prober;
  publish: PartnerEvents;
  history: Pick<TransitionLog, 'append'>;
}

export interface EvaluateOptions extends PanicGuard {
  /** The health window: traffic is counted per window, and at most one round runs in each. */
  windowMs: number;
  /** Windows of calls before the current one that detection reads while healthy. */
  detectionWindows: number;
}

export const DEFAULT_EVALUATE_OPTIONS: EvaluateOptions = {
  maxUnhealthyShare: 0.5,
  minUnhealthyPartners: 3,
  windowMs: 60_000,
  detectionWindows: 5,
};

export interface EvaluateResult {
  evaluated: number;
  transitions: PartnerTransition[];
  panic: boolean;
  held: string[];
  /** Partners whose state another evaluator moved first (they are left to it). */
  contended: string[];
  /** Partners whose transitions could not be published this round (kept for the next). */
  unpublished: { partnerId: string; error: string }[];
}

/** An automatic notice lasts until recovery ends it; its end is only the longest span allowed. */
const AUTOMATIC_NOTICE_SPAN = 365 * 24 * 3600_000;

/**
 * One round of automatic health, run on a schedule by at most one evaluator per window: probe every
 * partner with a probe target, read its calls, run the machine for all of them at once (so the panic
 * guard sees the whole picture), and save each state by version. Notices follow the states, level by
 * level rather than edge by edge: a partner not healthy has its automatic notice effective, a healthy
 * one has none, so a crash between the two writes is mended by the next round. Transitions go out
 * through an outbox kept in the saved state, each under a stable id.
 */
export async function evaluateHealth(
  deps: EvaluateDeps,
  now: number,
  options: EvaluateOptions = DEFAULT_EVALUATE_OPTIONS,
): Promise<EvaluateResult | { skipped: 'taken' }> {
  const window = Math.floor(now / options.windowMs);
  if (!(await deps.once.claim(`evaluate:${options.windowMs}:${window}`, (window + 1) * options.windowMs))) {
    return { skipped: 'taken' };
  }

  const partners = await deps.partners.list();
  const watched = await Promise.all(partners.map((p) => observe(deps, p, now, options)));
  const round = evaluateRound(
    watched.map((w) => w.underWatch),
    options,
  );
  const result: EvaluateResult = {
    evaluated: partners.length,
    transitions: [],
    panic: round.panic,
    held: round.held,
    contended: [],
    unpublished: [],
  };
  for (const { partner, underWatch, stored, version, reason } of watched) {
    const step = round.steps.get(partner.partnerId)!;
    const watch = nextWatch(partner, stored, step, underWatch, reason, now);
    if (!(await deps.states.save(partner.partnerId, watch, version))) {
      result.contended.push(partner.partnerId);
      continue;
    }
    await reconcileAutomaticNotice(deps.notices, partner.partnerId, watch, reason, now);
    if (watch.outbox && watch.outbox.length > 0) {
      try {
        await deps.history.append(watch.outbox);
        await deps.publish(watch.outbox);
      } catch (error) {
        // Kept in the outbox: the next round publishes it (under the same ids).
        result.unpublished.push({ partnerId: partner.partnerId, error: (error as Error).message });
        continue;
      }
      result.transitions.push(...watch.outbox);
      const { outbox: _sent, ...published } = watch;
      await deps.states.save(partner.partnerId, published, version + 1);
    }
  }
  return result;
}

interface Watched {
  partner: StoredPartner;
  underWatch: PartnerUnderWatch;
  stored: PartnerWatch;
  version: number;
  reason: string;
}

async function observe(
  deps: EvaluateDeps,
  partner: StoredPartner,
  now: number,
  options: EvaluateOptions,
): Promise<Watched> {
  const current = await deps.states.get(partner.partnerId);
  const stored: PartnerWatch = current?.watch ?? {
    // Never evaluated: healthy since always (its calls so far all count for detection).
    state: INITIAL_HEALTH,
    probeFailuresInRow: 0,
  };
  const probe = partner.probe ? await deps.probe(partner.probe) : undefined;
  const probeFailuresInRow =
    probe === undefined ? stored.probeFailuresInRow : probe.passed ? 0 : stored.probeFailuresInRow + 1;
  const windowOf = (at: number) => Math.floor(at / options.windowMs) * options.windowMs;
  // A ramp step reads its own calls; detection reads the last windows, none from before the partner
  // became healthy (the failures that made it unhealthy must not reopen a notice just closed).
  const sinceWindow = windowOf(stored.state.since);
  const from =
    stored.state.phase === 'ramping'
      ? sinceWindow
      : Math.max(sinceWindow, windowOf(now) - options.detectionWindows * options.windowMs);
  const [windows, notices] = await Promise.all([
    deps.traffic.read(partner.partnerId, from, windowOf(now)),
    stored.automaticNoticeId ? deps.notices.list(partner.partnerId) : [],
  ]);
  const clearedByOperator = notices.some(
    (n) => n.source === 'automatic' && n.noticeId === stored.automaticNoticeId && n.clearedBy !== undefined,
  );
  const calls = windows.reduce(
    (sum, m) => ({
      count: sum.count + m.calls,
      succeeded: sum.succeeded + m.succeeded,
      slow: sum.slow + m.slow,
    }),
    { count: 0, succeeded: 0, slow: 0 },
  );
  const seen: HealthObservation = {
    now,
    ...(probe ? { probe: probe.passed ? 'passed' : 'failed' } : {}),
    probeFailuresInRow,
    calls,
    ...(clearedByOperator ? { clearedByOperator } : {}),
  };
  return {
    partner,
    stored: { ...stored, probeFailuresInRow },
    version: current?.version ?? 0,
    underWatch: { partnerId: partner.partnerId, state: stored.state, policy: partner.policy, seen },
    reason: describe(partner.policy, seen, probe?.detail),
  };
}

/** Why the observation reads as it does, for the automatic notice and the transition event. */
function describe(policy: HealthPolicy, seen: HealthObservation, probeDetail: string | undefined): string {
  const parts: string[] = [];
  if (seen.probe) parts.push(`probe ${seen.probe}${probeDetail ? ` (${probeDetail})` : ''}`);
  if (seen.probeFailuresInRow > 0) parts.push(`${seen.probeFailuresInRow} probe failure(s) in a row`);
  if (seen.calls.count > 0) {
    const rate = ((seen.calls.succeeded / seen.calls.count) * 100).toFixed(1);
    const slow = ((seen.calls.slow / seen.calls.count) * 100).toFixed(1);
    parts.push(
      `${seen.calls.count} calls, ${rate} % succeeded (minimum ${policy.minSuccessRate * 100} %), ${slow} % slower than ${policy.maxLatencyMs} ms`,
    );
  } else {
    parts.push('no calls');
  }
  return parts.join('; ');
}

function nextWatch(
  partner: StoredPartner,
  stored: PartnerWatch,
  step: Step,
  underWatch: PartnerUnderWatch,
  reason: string,
  now: number,
): PartnerWatch {
  const watch: PartnerWatch = { ...stored, state: step.state };
  if (step.transition.actions.includes('open-automatic-notice')) watch.automaticNoticeId = `auto-${now}`;
  if (step.state.phase === 'healthy') delete watch.automaticNoticeId;
  if (step.moved) {
    const transition: PartnerTransition = {
      eventId: `${partner.partnerId}:${underWatch.state.phase}:${step.state.phase}:${step.state.step}:${now}`,
      partnerId: partner.partnerId,
      from: underWatch.state.phase,
      to: step.state.phase,
      event: step.event,
      admittedPercent: admittedShare(step.state, partner.policy) * 100,
      at: now,
      reason,
    };
    watch.outbox = [...(stored.outbox ?? []), transition];
  }
  return watch;
}

async function reconcileAutomaticNotice(
  notices: NoticeStore,
  partnerId: string,
  watch: PartnerWatch,
  reason: string,
  now: number,
): Promise<void> {
  const automatic = (await notices.list(partnerId)).filter((n) => n.source === 'automatic');
  for (const notice of automatic) {
    if (notice.status !== 'effective' || notice.noticeId === watch.automaticNoticeId) continue;
    const ended: Notice = {
      ...notice,
      status: 'invalid',
      end: Math.max(notice.begin + 1, now),
      updatedAt: now,
      operatorId: 'system',
      changeCount: notice.changeCount + 1,
    };
    await notices.save(ended, notice.changeCount);
  }
  const open = watch.automaticNoticeId;
  if (open && !automatic.some((n) => n.noticeId === open)) {
    await notices.save(
      {
        partnerId,
        noticeId: open,
        source: 'automatic',
        content: `Detected unhealthy: ${reason}`.slice(0, 1_000),
        begin: now,
        end: now + AUTOMATIC_NOTICE_SPAN,
        status: 'effective',
        createdAt: now,
        updatedAt: now,
        operatorId: 'system',
        changeCount: 0,
      },
      undefined,
    );
  }
}
