import { TtlCache } from '../cache.ts';
import { INITIAL_HEALTH } from './health-machine.ts';
import { defaultHealth, type PartnerHealth, type PartnerSnapshot, partnerHealth } from './partner-health.ts';
import type { HealthStateStore, NoticeStore, PartnerStore, SnapshotSource } from './ports.ts';

export interface HealthReaderOptions {
  /** How long a snapshot is used before it is read again (in the background once one is held). */
  ttlMs: number;
  /** The longest a caller waits: after it, the last known state or the default. */
  deadlineMs: number;
  /** A snapshot older than this (its refreshes failing) makes the answer `degraded`: the last known state. */
  staleAfterMs: number;
  /** A snapshot older than this is not trusted at all: the partner's configured default is answered. */
  forgetAfterMs: number;
  /** Partners remembered at most (ids come from callers: the memory they take must be bounded). */
  maxPartners: number;
}

export const DEFAULT_HEALTH_READER: HealthReaderOptions = {
  ttlMs: 2_000,
  // The seed's 50 ms, less 20 ms for a timer that fires late on a busy event loop (measured up to 15 ms
  // with many reads hanging: bench/health.ts) and the answer itself. A healthy DynamoDB answers in < 10.
  deadlineMs: 30,
  staleAfterMs: 5_000,
  forgetAfterMs: 5 * 60_000,
  maxPartners: 10_000,
};

const TIMED_OUT = 'timed-out' as const;

/**
 * Partner health for callers that cannot wait (seed 003 §6.4: the health system is bypassable, and
 * must never slow or fail the main path). Snapshots are kept in memory and refreshed in the
 * background; a caller waits at most `deadlineMs`, then gets the last known state, or the default
 * ("not under maintenance") when nothing is known yet, flagged `degraded`. It never throws.
 */
export class PartnerHealthReader {
  private readonly caches = new Map<string, TtlCache<PartnerSnapshot | undefined>>();

  constructor(
    private readonly source: SnapshotSource,
    private readonly options: HealthReaderOptions = DEFAULT_HEALTH_READER,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The partner's health now; `undefined` when the store says there is no such partner. */
  async health(partnerId: string): Promise<PartnerHealth | undefined> {
    const now = this.clock();
    const cache = this.cacheOf(partnerId);
    // With a snapshot held, the cache answers at once (refreshing in the background); only a partner
    // never read yet, or never readable, can reach the deadline: then nothing is known. The deadline
    // runs from the start of the read, not of each caller: while one read hangs, the callers after the
    // first are answered at once instead of each waiting the whole deadline again.
    const read = cache.get().catch((): typeof TIMED_OUT => TIMED_OUT);
    const waitMs = Math.max(0, (cache.loadingSince() ?? now) + this.options.deadlineMs - now);
    let timer: NodeJS.Timeout | undefined;
    let immediate: NodeJS.Immediate | undefined;
    // Past the deadline already, only what the cache holds is waited for (a turn of the event loop,
    // not a timer's millisecond).
    const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
      if (waitMs > 0) timer = setTimeout(() => resolve(TIMED_OUT), waitMs);
      else immediate = setImmediate(() => resolve(TIMED_OUT));
    });
    const snapshot = await Promise.race([read, deadline]).finally(() => {
      clearTimeout(timer);
      clearImmediate(immediate);
    });
    if (snapshot === TIMED_OUT) return defaultHealth(partnerId, true, now);
    if (!snapshot) {
      this.caches.delete(partnerId);
      return undefined;
    }
    const age = now - snapshot.readAt;
    if (age > this.options.forgetAfterMs)
      return defaultHealth(partnerId, snapshot.defaultHealthy ?? true, now);
    return partnerHealth(snapshot, now, age > this.options.staleAfterMs);
  }

  /** The last snapshot read of a partner, without waiting for a read (undefined if none yet). */
  known(partnerId: string): PartnerSnapshot | undefined {
    return this.caches.get(partnerId)?.peek() ?? undefined;
  }

  /** Several partners at once (each within the same deadline). */
  async many(partnerIds: readonly string[]): Promise<Map<string, PartnerHealth | undefined>> {
    const answers = await Promise.all(partnerIds.map(async (id) => [id, await this.health(id)] as const));
    return new Map(answers);
  }

  private cacheOf(partnerId: string): TtlCache<PartnerSnapshot | undefined> {
    let cache = this.caches.get(partnerId);
    if (!cache) {
      if (this.caches.size >= this.options.maxPartners) {
        const oldest = this.caches.keys().next().value;
        if (oldest !== undefined) this.caches.delete(oldest);
      }
      // An expired snapshot is read again while the caller waits, up to the deadline: then the last one.
      cache = new TtlCache(
        () => this.source(partnerId),
        this.options.ttlMs,
        this.clock,
        1_000,
        this.options.deadlineMs,
      );
      this.caches.set(partnerId, cache);
    }
    return cache;
  }
}

/** The snapshot of a partner read through the stores: its definition, notices and automatic state at once. */
export function snapshotFromStores(
  stores: {
    partners: Pick<PartnerStore, 'get'>;
    notices: Pick<NoticeStore, 'list'>;
    states: Pick<HealthStateStore, 'get'>;
  },
  clock: () => number = Date.now,
): SnapshotSource {
  return async (partnerId) => {
    const [partner, notices, watch] = await Promise.all([
      stores.partners.get(partnerId),
      stores.notices.list(partnerId),
      stores.states.get(partnerId),
    ]);
    if (!partner) return undefined;
    return {
      partnerId,
      automatic: watch?.watch.state ?? INITIAL_HEALTH,
      policy: partner.policy,
      notices,
      switches: { partnerNotices: partner.partnerNoticesOn },
      defaultHealthy: partner.defaultHealthy,
      rank: partner.rank,
      readAt: clock(),
    };
  };
}
