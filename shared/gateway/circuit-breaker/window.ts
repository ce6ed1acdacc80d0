export type Outcome = 'success' | 'slow' | 'failure';

export interface WindowTotals {
  calls: number;
  failures: number;
  /** Successful calls that took at least the slow-call duration. */
  slowCalls: number;
}

/**
 * A time-based sliding window of call outcomes in fixed buckets (a ring): the window at time t holds
 * the buckets of the last `windowMs`, current bucket included, so outcomes are forgotten one bucket at
 * a time. Recording and summing cost O(1) and O(buckets); memory is fixed. Times must not go
 * backwards (the breaker clamps its clock).
 */
export class SlidingWindow {
  private readonly size: number;
  private readonly ids: number[];
  private readonly calls: number[];
  private readonly failures: number[];
  private readonly slow: number[];

  constructor(
    readonly windowMs: number,
    readonly bucketMs: number,
  ) {
    this.size = Math.max(1, Math.ceil(windowMs / bucketMs));
    this.ids = new Array<number>(this.size).fill(Number.NEGATIVE_INFINITY);
    this.calls = new Array<number>(this.size).fill(0);
    this.failures = new Array<number>(this.size).fill(0);
    this.slow = new Array<number>(this.size).fill(0);
  }

  get buckets(): number {
    return this.size;
  }

  record(t: number, outcome: Outcome): void {
    const id = Math.floor(t / this.bucketMs);
    const slot = ((id % this.size) + this.size) % this.size;
    if (this.ids[slot] !== id) {
      this.ids[slot] = id;
      this.calls[slot] = 0;
      this.failures[slot] = 0;
      this.slow[slot] = 0;
    }
    this.calls[slot]! += 1;
    if (outcome === 'failure') this.failures[slot]! += 1;
    else if (outcome === 'slow') this.slow[slot]! += 1;
  }

  totals(t: number): WindowTotals {
    const current = Math.floor(t / this.bucketMs);
    const totals: WindowTotals = { calls: 0, failures: 0, slowCalls: 0 };
    for (let slot = 0; slot < this.size; slot++) {
      const id = this.ids[slot]!;
      if (id > current - this.size && id <= current) {
        totals.calls += this.calls[slot]!;
        totals.failures += this.failures[slot]!;
        totals.slowCalls += this.slow[slot]!;
      }
    }
    return totals;
  }

  reset(): void {
    this.ids.fill(Number.NEGATIVE_INFINITY);
    this.calls.fill(0);
    this.failures.fill(0);
    this.slow.fill(0);
  }
}
