import { DomainError } from '../kernel/errors.ts';
import type { PartnerHealthReader } from './health-reader.ts';
import { RampAdmission } from './ramp-admission.ts';
import type { PartnerTrafficCounter } from './traffic-counter.ts';

/** The seconds a caller refused because of a partner's health is told to wait. */
const PARTNER_RETRY_AFTER_SECONDS = 30;
/** Without a known policy, a call slower than this counts as slow. */
const DEFAULT_SLOW_AFTER_MS = 3_000;

/**
 * What the gateway asks before it calls a partner's API, and tells after: the partner's health (in
 * memory, at most the reader's deadline away) decides, a ramp letting its share of calls through, and
 * every call that reached the partner is counted for automatic detection.
 */
export class PartnerGate {
  constructor(
    private readonly reader: Pick<PartnerHealthReader, 'health' | 'known'>,
    private readonly counter: Pick<PartnerTrafficCounter, 'record'>,
    private readonly ramp = new RampAdmission(),
  ) {}

  /** Undefined when the call may go; else the refusal to answer with (or to degrade). */
  async refusal(partnerId: string): Promise<DomainError | undefined> {
    const health = await this.reader.health(partnerId);
    if (!health || this.ramp.admits(partnerId, health.admittedPercent)) return undefined;
    return new DomainError(
      'partner-unavailable',
      health.standing === 'ramping'
        ? 'The partner behind this API is recovering and takes only part of the calls; retry later.'
        : 'The partner behind this API is unavailable at the moment; retry later.',
      { retryAfterSeconds: PARTNER_RETRY_AFTER_SECONDS },
      { retryAfterSeconds: PARTNER_RETRY_AFTER_SECONDS },
    );
  }

  /** A call that reached the partner: `ok` unless it failed or answered 5xx. */
  record(partnerId: string, call: { ok: boolean; latencyMs: number }): void {
    const slowAfterMs = this.reader.known(partnerId)?.policy.maxLatencyMs ?? DEFAULT_SLOW_AFTER_MS;
    this.counter.record(partnerId, { ...call, slowAfterMs });
  }
}
