import type { GatewayEventEntry } from '../circuit-breaker/events.ts';
import type { GatewayEventSink } from '../ports.ts';

/** PutEvents takes at most 10 entries per call. */
export const PUT_EVENTS_BATCH = 10;

export interface BreakerEventPublisherOptions {
  /** Most entries waiting to be sent; beyond, the oldest are dropped. Default 1,000. */
  maxQueue?: number;
  /** Wait before the one retry of the entries a call did not get accepted. Default 100 ms. */
  retryDelayMs?: number;
  /** A call failed, or entries were given up on after their retry. */
  onError?: (error: unknown) => void;
}

export interface BreakerEventPublisherStats {
  /** Entries accepted by the sink. */
  published: number;
  /** Entries still not accepted after their retry, and so given up on. */
  failed: number;
  /** Entries dropped, oldest first, because the queue was full. */
  dropped: number;
  /** Calls to the sink (each one `PutEvents` request), retries included. */
  calls: number;
}

export class BreakerEventsNotAcceptedError extends Error {
  override name = 'BreakerEventsNotAcceptedError';
  constructor(readonly count: number) {
    super(`${count} breaker event(s) were not accepted after a retry`);
  }
}

/**
 * Publishes breaker transition events off the request path. `enqueue` is synchronous and O(1); when
 * an entry is queued and no flush is running, a background flush sends the queue in calls of at most
 * 10 entries, retries the entries a call did not get accepted (or all of a failed call) once, and
 * gives up on those that fail again, counting them. The queue is bounded: a long outage drops the
 * oldest events first, counted, rather than growing without limit.
 *
 * In Lambda a background flush runs while an invocation does; an environment shut down with entries
 * queued loses them. Transition events are for observability, and the breaker state itself travels
 * through the state store, so that loss is accepted.
 */
export class BreakerEventPublisher {
  readonly stats: BreakerEventPublisherStats = { published: 0, failed: 0, dropped: 0, calls: 0 };
  private readonly maxQueue: number;
  private readonly retryDelayMs: number;
  private readonly onError: ((error: unknown) => void) | undefined;
  private items: GatewayEventEntry[] = [];
  private head = 0;
  private running: Promise<void> | undefined;

  constructor(
    private readonly sink: GatewayEventSink,
    options: BreakerEventPublisherOptions = {},
  ) {
    this.maxQueue = Math.max(1, options.maxQueue ?? 1_000);
    this.retryDelayMs = Math.max(0, options.retryDelayMs ?? 100);
    this.onError = options.onError;
  }

  /** Entries waiting to be sent (not those of the call in progress). */
  get pending(): number {
    return this.items.length - this.head;
  }

  enqueue(entry: GatewayEventEntry): void {
    if (this.pending >= this.maxQueue) {
      this.head++;
      this.stats.dropped++;
      this.compact();
    }
    this.items.push(entry);
    if (!this.running) this.start();
  }

  /** Sends everything queued (after the flush in progress, if any). Never rejects. */
  async flush(): Promise<void> {
    while (this.running) await this.running;
    if (this.pending > 0) {
      this.start();
      await this.running;
    }
  }

  private start(): void {
    const run: Promise<void> = this.drain().finally(() => {
      if (this.running === run) this.running = undefined;
    });
    this.running = run;
  }

  private async drain(): Promise<void> {
    while (this.pending > 0) {
      const batch = this.take(PUT_EVENTS_BATCH);
      let rejected = await this.send(batch);
      if (rejected.length > 0) {
        if (this.retryDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.retryDelayMs));
        rejected = await this.send(rejected);
      }
      if (rejected.length > 0) {
        this.stats.failed += rejected.length;
        this.report(new BreakerEventsNotAcceptedError(rejected.length));
      }
    }
  }

  /** One call; returns the entries it did not get accepted. */
  private async send(batch: GatewayEventEntry[]): Promise<GatewayEventEntry[]> {
    this.stats.calls++;
    try {
      const { failed } = await this.sink.put(batch);
      const rejected = [...new Set(failed)].filter((i) => batch[i] !== undefined).map((i) => batch[i]!);
      this.stats.published += batch.length - rejected.length;
      return rejected;
    } catch (error) {
      this.report(error);
      return batch;
    }
  }

  private take(count: number): GatewayEventEntry[] {
    const batch = this.items.slice(this.head, this.head + count);
    this.head += batch.length;
    this.compact();
    return batch;
  }

  /** Drops the entries already taken, now and then, so the array never keeps every entry ever queued. */
  private compact(): void {
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head >= 1_024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  private report(error: unknown): void {
    try {
      this.onError?.(error);
    } catch {
      // A failing error handler must not turn into an unhandled rejection.
    }
  }
}
