import { admittedShare, type HealthPhase, type HealthPolicy, type HealthState } from './health-machine.ts';
import { inForce, type Notice, type NoticeSource, type NoticeSwitches } from './notice.ts';

/** Healthy first, then ramping back, then unhealthy: the order a caller choosing partners gets. */
export type PartnerStanding = 'healthy' | 'ramping' | 'unhealthy';

/** What the health query answers for one partner (seed 003 §6.4). */
export interface PartnerHealth {
  partnerId: string;
  healthy: boolean;
  standing: PartnerStanding;
  /** The automatic machine's phase; `unknown` when the answer is the configured default. */
  phase: HealthPhase | 'unknown';
  /** Share of calls let through, 0–100. */
  admittedPercent: number;
  notices: NoticeSummary[];
  /** When the state this answer rests on was read (ISO 8601). */
  asOf: string;
  /** True when the store could not be read in time: the last known state or the default. */
  degraded: boolean;
  /** Its place in the configured default order, when known. */
  rank?: number;
}

export interface NoticeSummary {
  noticeId: string;
  source: NoticeSource;
  content: string;
  begin: string;
  end: string;
}

/** What the store knows of one partner. */
export interface PartnerSnapshot {
  partnerId: string;
  automatic: HealthState;
  policy: HealthPolicy;
  notices: readonly Notice[];
  switches: NoticeSwitches;
  /** The partner's configured answer when its health cannot be read. */
  defaultHealthy?: boolean;
  /** Its place in the default order. */
  rank?: number;
  readAt: number;
}

/**
 * A partner's health now: a partner's or an operator's notice in force makes it unhealthy whatever the
 * automatic machine says (they overrule detection); otherwise the machine decides, a ramp letting its
 * share of calls through. The automatic notice is the machine's own record of the episode: in force
 * until the ramp completes, it is shown but does not close the ramp the machine opened.
 */
export function partnerHealth(snapshot: PartnerSnapshot, now: number, degraded = false): PartnerHealth {
  const notices = snapshot.notices.filter((n) => inForce(n, now, snapshot.switches));
  const overruled = notices.some((n) => n.source !== 'automatic');
  const share = overruled ? 0 : admittedShare(snapshot.automatic, snapshot.policy);
  const standing: PartnerStanding = share >= 1 ? 'healthy' : share > 0 ? 'ramping' : 'unhealthy';
  return {
    partnerId: snapshot.partnerId,
    healthy: standing === 'healthy',
    standing,
    phase: snapshot.automatic.phase,
    admittedPercent: Math.round(share * 10_000) / 100,
    notices: notices.map((n) => ({
      noticeId: n.noticeId,
      source: n.source,
      content: n.content,
      begin: new Date(n.begin).toISOString(),
      end: new Date(n.end).toISOString(),
    })),
    asOf: new Date(snapshot.readAt).toISOString(),
    degraded,
    ...(snapshot.rank !== undefined ? { rank: snapshot.rank } : {}),
  };
}

/**
 * The answer when nothing is known: the partner's configured default, "not under maintenance" unless
 * configured otherwise (seed: 返回运营商未维护), flagged degraded.
 */
export function defaultHealth(partnerId: string, healthy: boolean, now: number): PartnerHealth {
  return {
    partnerId,
    healthy,
    standing: healthy ? 'healthy' : 'unhealthy',
    phase: 'unknown',
    admittedPercent: healthy ? 100 : 0,
    notices: [],
    asOf: new Date(now).toISOString(),
    degraded: true,
  };
}

const STANDING_ORDER: Record<PartnerStanding, number> = { healthy: 0, ramping: 1, unhealthy: 2 };

/**
 * The configured default order of these partners: by rank where known; the others after them, in the
 * order the caller gave (the best guess when the store cannot be read).
 */
export function defaultOrderOf(answers: readonly PartnerHealth[]): string[] {
  const unranked = Number.MAX_SAFE_INTEGER;
  return answers
    .map((answer, index) => ({ id: answer.partnerId, rank: answer.rank ?? unranked, index }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((entry) => entry.id);
}

/**
 * Ranks partners for a caller choosing among them: healthy first, ramping next, unhealthy last, ties
 * in the configured default order (partners it does not list after those it does, by id). With no
 * health known every answer is the default, so the ranking is the default order itself.
 */
export function rankPartners(
  answers: readonly PartnerHealth[],
  defaultOrder: readonly string[],
): PartnerHealth[] {
  const position = new Map(defaultOrder.map((id, index) => [id, index]));
  const place = (id: string) => position.get(id) ?? Number.MAX_SAFE_INTEGER;
  return [...answers].sort(
    (a, b) =>
      STANDING_ORDER[a.standing] - STANDING_ORDER[b.standing] ||
      place(a.partnerId) - place(b.partnerId) ||
      (a.partnerId < b.partnerId ? -1 : a.partnerId > b.partnerId ? 1 : 0),
  );
}
