import {
  evaluate,
  type HealthObservation,
  type HealthPolicy,
  type HealthState,
  type Step,
} from './health-machine.ts';

export interface PartnerUnderWatch {
  partnerId: string;
  state: HealthState;
  policy: HealthPolicy;
  seen: HealthObservation;
}

export interface RoundResult {
  steps: Map<string, Step>;
  /** Partners whose detection fired but were kept healthy because too many would be unhealthy at once. */
  held: string[];
  panic: boolean;
}

export interface PanicGuard {
  /** Above this share of partners automatically unhealthy at once, no new notice is opened. */
  maxUnhealthyShare: number;
  /**
   * Fewer partners unhealthy at once than this never panic: with one or two partners, one failing is
   * "most of them", and holding its notice back would leave detection off for small deployments.
   */
  minUnhealthyPartners: number;
}

/**
 * One evaluation of every partner. The panic guard: when more than `maxUnhealthyShare` of the partners
 * (and at least `minUnhealthyPartners`) would be automatically unhealthy at once, the failure is more
 * likely ours (our network, our probes) than theirs, so no new automatic notice is opened this round
 * and the caller alarms. Recoveries and partners already unhealthy go on as the machine says.
 */
export function evaluateRound(partners: readonly PartnerUnderWatch[], guard: PanicGuard): RoundResult {
  const steps = new Map(partners.map((p) => [p.partnerId, evaluate(p.state, p.policy, p.seen)]));
  const unhealthyAfter = [...steps.values()].filter((s) => s.state.phase !== 'healthy').length;
  const panic =
    unhealthyAfter >= guard.minUnhealthyPartners &&
    unhealthyAfter / partners.length > guard.maxUnhealthyShare;
  const held: string[] = [];
  if (panic) {
    for (const partner of partners) {
      if (steps.get(partner.partnerId)!.event !== 'degraded') continue;
      held.push(partner.partnerId);
      steps.set(partner.partnerId, evaluate(partner.state, partner.policy, calm(partner.seen)));
    }
  }
  return { steps, held, panic };
}

/** The observation with nothing that could open a notice: what a held partner is evaluated on. */
const calm = (seen: HealthObservation): HealthObservation => ({
  now: seen.now,
  probeFailuresInRow: 0,
  calls: { count: 0, succeeded: 0, slow: 0 },
});
