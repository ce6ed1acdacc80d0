import type { TrafficMinute, TrafficStore } from './ports.ts';

const MINUTE = 60_000;

/**
 * Counts the calls this instance makes to each partner's APIs, per minute, in memory, and writes each
 * partner's running totals at most once per `flushEveryMs` (seed 003 §7.1: reporting must never slow
 * the main path). The write is of totals, not increments: a repeated or retried one counts once.
 * A minute is written one last time after it ends, then forgotten.
 */
export class PartnerTrafficCounter {
  private readonly minutes = new Map<string, TrafficMinute & { dirty: boolean }>();
  private readonly lastFlush = new Map<string, number>();
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly store: Pick<TrafficStore, 'put'>,
    private readonly instanceId: string,
    private readonly onError: (error: unknown) => void,
    private readonly flushEveryMs = 5_000,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Records one call that reached the partner; `slowAfterMs` is its latency threshold. */
  record(partnerId: string, call: { ok: boolean; latencyMs: number; slowAfterMs: number }): void {
    const minute = Math.floor(this.clock() / MINUTE);
    const key = `${partnerId}\u0000${minute}`;
    const totals = this.minutes.get(key) ?? { minute, calls: 0, succeeded: 0, slow: 0, dirty: true };
    totals.calls++;
    if (call.ok) totals.succeeded++;
    if (call.latencyMs > call.slowAfterMs) totals.slow++;
    totals.dirty = true;
    this.minutes.set(key, totals);
    this.maybeFlush();
  }

  /** Starts a background flush of the partners due one; never waits, never throws. */
  maybeFlush(): void {
    if (this.flushing) return;
    const now = this.clock();
    const due = [...this.minutes.entries()].filter(([key, totals]) => {
      const partnerId = key.split('\u0000')[0]!;
      const ended = (totals.minute + 1) * MINUTE <= now;
      return totals.dirty && (ended || now - (this.lastFlush.get(partnerId) ?? 0) >= this.flushEveryMs);
    });
    if (due.length === 0) return;
    this.flushing = this.write(due, now).finally(() => {
      this.flushing = undefined;
    });
  }

  /** Writes everything not yet written (at shutdown, or in tests). */
  async flush(): Promise<void> {
    await this.flushing;
    await this.write(
      [...this.minutes.entries()].filter(([, t]) => t.dirty),
      this.clock(),
    );
  }

  private async write(entries: [string, TrafficMinute & { dirty: boolean }][], now: number): Promise<void> {
    await Promise.all(
      entries.map(async ([key, totals]) => {
        const partnerId = key.split('\u0000')[0]!;
        totals.dirty = false;
        this.lastFlush.set(partnerId, now);
        try {
          const { dirty: _dirty, ...written } = totals;
          await this.store.put(partnerId, this.instanceId, written);
          if ((totals.minute + 1) * MINUTE <= now && !totals.dirty) this.minutes.delete(key);
        } catch (error) {
          totals.dirty = true;
          this.onError(error);
        }
      }),
    );
  }
}
