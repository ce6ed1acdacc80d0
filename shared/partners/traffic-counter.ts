import type { TrafficStore, TrafficWindow } from './ports.ts';

export interface TrafficCounterOptions {
  /** The health window (the store's unit of time): a minute in production. */
  windowMs: number;
  /** A partner's totals are written at most this often. */
  flushEveryMs: number;
}

/** Totals go out every 5 s, or twice a window when windows are shorter (a test platform's). */
export const trafficCounterOptions = (windowMs: number): TrafficCounterOptions => ({
  windowMs,
  flushEveryMs: Math.min(5_000, windowMs / 2),
});

export const DEFAULT_TRAFFIC_COUNTER = trafficCounterOptions(60_000);

/**
 * Counts the calls this instance makes to each partner's APIs, per health window, in memory, and writes
 * each partner's running totals at most once per `flushEveryMs` (seed 003 §7.1: reporting must never
 * slow the main path). The write is of totals, not increments: a repeated or retried one counts once.
 * A window is written one last time after it ends, then forgotten.
 */
export class PartnerTrafficCounter {
  private readonly windows = new Map<string, TrafficWindow & { dirty: boolean }>();
  private readonly lastFlush = new Map<string, number>();
  private flushing: Promise<void> | undefined;
  private later: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: Pick<TrafficStore, 'put'>,
    private readonly instanceId: string,
    private readonly onError: (error: unknown) => void,
    private readonly options: TrafficCounterOptions = DEFAULT_TRAFFIC_COUNTER,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Records one call that reached the partner; `slowAfterMs` is its latency threshold. */
  record(partnerId: string, call: { ok: boolean; latencyMs: number; slowAfterMs: number }): void {
    const { windowMs } = this.options;
    const start = Math.floor(this.clock() / windowMs) * windowMs;
    const key = `${partnerId}\u0000${start}`;
    const totals = this.windows.get(key) ?? { start, calls: 0, succeeded: 0, slow: 0, dirty: true };
    totals.calls++;
    if (call.ok) totals.succeeded++;
    if (call.latencyMs > call.slowAfterMs) totals.slow++;
    totals.dirty = true;
    this.windows.set(key, totals);
    this.maybeFlush();
  }

  /**
   * Starts a background flush of the partners due one; never waits, never throws. Totals not yet due
   * are flushed by a timer when they are, so the last calls before a quiet spell are not left unwritten
   * until the next call (a ramp step of a quiet partner waits for exactly those).
   */
  maybeFlush(): void {
    if (this.flushing) return;
    const now = this.clock();
    const due: [string, TrafficWindow & { dirty: boolean }][] = [];
    let next = Number.POSITIVE_INFINITY;
    for (const entry of this.windows.entries()) {
      const [key, totals] = entry;
      if (!totals.dirty) continue;
      const partnerId = key.split('\u0000')[0]!;
      const dueAt = Math.min(
        totals.start + this.options.windowMs,
        (this.lastFlush.get(partnerId) ?? 0) + this.options.flushEveryMs,
      );
      if (dueAt <= now) due.push(entry);
      else next = Math.min(next, dueAt);
    }
    if (due.length > 0) {
      this.flushing = this.write(due, now).finally(() => {
        this.flushing = undefined;
        this.maybeFlush();
      });
    } else if (next !== Number.POSITIVE_INFINITY && !this.later) {
      this.later = setTimeout(() => {
        this.later = undefined;
        this.maybeFlush();
      }, next - now);
      this.later.unref();
    }
  }

  /** Writes everything not yet written (at shutdown, or in tests). */
  async flush(): Promise<void> {
    await this.flushing;
    await this.write(
      [...this.windows.entries()].filter(([, t]) => t.dirty),
      this.clock(),
    );
  }

  private ended(totals: TrafficWindow, now: number): boolean {
    return totals.start + this.options.windowMs <= now;
  }

  private async write(entries: [string, TrafficWindow & { dirty: boolean }][], now: number): Promise<void> {
    await Promise.all(
      entries.map(async ([key, totals]) => {
        const partnerId = key.split('\u0000')[0]!;
        totals.dirty = false;
        this.lastFlush.set(partnerId, now);
        try {
          const { dirty: _dirty, ...written } = totals;
          await this.store.put(partnerId, this.instanceId, written);
          if (this.ended(totals, now) && !totals.dirty) this.windows.delete(key);
        } catch (error) {
          totals.dirty = true;
          this.onError(error);
        }
      }),
    );
  }
}
