/**
 * Keeps records (calls, deliveries, request logs) in memory and hands them to a `RecordSink` in batches, so a request pays for
 * an array write instead of a stream round trip.
 *
 * WHEN A BATCH LEAVES. When `maxRecords` are waiting, or when the oldest waiting record is `maxAgeMs`
 * old. The age is checked on every `record` call and by an unref'd timer, so an idle instance still
 * delivers and the timer never keeps a process alive. At most `maxConcurrentFlushes` sends run at once.
 *
 * FAILURES. A failed send puts its records back at the front (only the undelivered ones when the sink
 * says which, see `UndeliveredRecordsError`). Sends that start on their own then pause `retryDelayMs`,
 * so an outage is not retried at request rate. A record is given up after `maxAttempts` failed sends,
 * and `onError` hears of the send that gave records up, with how many.
 *
 * MEMORY. At most `maxBuffered` records wait; beyond that the oldest are dropped (counted only: from
 * `record` this would be a report per call during an outage). Every record given up or dropped is
 * counted in `stats.dropped`; `stats.failedSends` counts failed sends, retried or not.
 *
 * LAMBDA. An execution environment is frozen between invocations, so a send started after a response
 * may only complete during the next invocation (or fail there and be retried). `flush()` sends
 * everything now; `flushOnShutdown` does so when the environment is shut down: Lambda sends SIGTERM
 * then because the functions that record carry the shutdown extension
 * (infra/constructs/shutdown-extension.ts), and gives the runtime 300 ms. So a record waits at most
 * `maxAgeMs` while its environment serves calls, and otherwise until the next call or the shutdown,
 * whichever comes first; only an environment that crashes loses what it holds.
 */
import { type RecordSink, UndeliveredRecordsError } from './record-sink.ts';

export interface BatchingRecorderOptions {
  /** A batch leaves as soon as this many records wait; also the largest batch sent. Default 100. */
  maxRecords?: number;
  /** A batch leaves once its oldest record has waited this long. Default 1,000 ms. */
  maxAgeMs?: number;
  /** Records kept waiting at most; beyond, the oldest are dropped. Default 10,000. */
  maxBuffered?: number;
  /** Sends running at once. Default 1. */
  maxConcurrentFlushes?: number;
  /** Failed sends a record goes through before it is given up (1–255). Default 3. */
  maxAttempts?: number;
  /** After a failed send, batches do not leave on their own for this long. Default 1,000 ms. */
  retryDelayMs?: number;
  /** Called when a failed send gives records up (`lostCount` > 0), with the send's error; also, with 0, on an unexpected internal error. */
  onError?: (error: unknown, lostCount: number) => void;
  /** Milliseconds on a monotonic clock. Default `performance.now()`. */
  now?: () => number;
  /** Runs `callback` once after `ms`; must not keep the process alive. Default an unref'd `setTimeout`. */
  setTimer?: (callback: () => void, ms: number) => void;
}

export interface RecorderStats {
  /** Waiting to be sent. */
  buffered: number;
  /** Handed to the sink, not yet settled. */
  inFlight: number;
  sent: number;
  /** Dropped from a full buffer, or given up after `maxAttempts` failed sends. */
  dropped: number;
  failedSends: number;
}

interface Batch<T> {
  records: T[];
  /** When each record was recorded, on the `now` clock. */
  recordedAt: number[];
  /** Failed sends each record has been through. */
  attempts: number[];
}

export class BatchingRecorder<T extends object> {
  private readonly maxRecords: number;
  private readonly maxAgeMs: number;
  private readonly maxConcurrentFlushes: number;
  private readonly maxAttempts: number;
  private readonly retryDelayMs: number;
  private readonly onError: ((error: unknown, lostCount: number) => void) | undefined;
  private readonly now: () => number;
  private readonly setTimer: (callback: () => void, ms: number) => void;

  private readonly waiting: RecordRing<T>;
  private readonly sending = new Set<Promise<void>>();
  /** Taken out of `waiting` by `flush()`, not yet handed to the sink. */
  private heldByFlush = 0;
  private inFlightRecords = 0;
  private sent = 0;
  private dropped = 0;
  private failedSends = 0;
  private pausedUntil = Number.NEGATIVE_INFINITY;
  /** When the pending timer fires; +Infinity when none is pending. */
  private timerDueAt = Number.POSITIVE_INFINITY;
  /** The running (and queued) `flush()` calls; batches do not leave on their own meanwhile. */
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly sink: RecordSink<T>,
    options: BatchingRecorderOptions = {},
  ) {
    this.maxRecords = positiveInteger('maxRecords', options.maxRecords ?? 100);
    this.maxAgeMs = nonNegative('maxAgeMs', options.maxAgeMs ?? 1_000);
    this.waiting = new RecordRing(positiveInteger('maxBuffered', options.maxBuffered ?? 10_000));
    this.maxConcurrentFlushes = positiveInteger('maxConcurrentFlushes', options.maxConcurrentFlushes ?? 1);
    this.maxAttempts = positiveInteger('maxAttempts', options.maxAttempts ?? 3);
    if (this.maxAttempts > 255)
      throw new RangeError(`maxAttempts must be at most 255, got ${this.maxAttempts}`);
    this.retryDelayMs = nonNegative('retryDelayMs', options.retryDelayMs ?? 1_000);
    this.onError = options.onError;
    this.now = options.now ?? (() => performance.now());
    this.setTimer = options.setTimer ?? unrefTimer;
  }

  /**
   * Buffers `record` (the object itself: do not change it afterwards) and starts a send if one is due.
   * Synchronous, constant time (taking a batch out copies at most `maxRecords`), never throws, never
   * waits for the sink.
   */
  record(record: T): void {
    try {
      const now = this.now();
      if (this.waiting.length === this.waiting.capacity) {
        this.waiting.dropOldest();
        this.dropped++;
      }
      this.waiting.push(record, now, 0);
      this.startDueSends(now);
    } catch (error) {
      this.report(error, 0);
    }
  }

  /**
   * Sends every buffered record now, whatever its age and despite a retry pause, and resolves once
   * each record buffered or in flight when it was called has been delivered or given up (failed
   * batches are sent again at once, up to `maxAttempts`). Never rejects.
   */
  flush(): Promise<void> {
    const run: Promise<void> = (this.flushing ?? Promise.resolve())
      .then(() => this.drain())
      .catch((error: unknown) => this.report(error, 0))
      .then(() => {
        if (this.flushing !== run) return;
        this.flushing = undefined;
        this.resume();
      });
    this.flushing = run;
    return run;
  }

  /** Registers `flushOnShutdown(this, options)`; call it once, from the handler module. */
  flushOnShutdown(options?: FlushOnShutdownOptions): () => void {
    return flushOnShutdown(this, options);
  }

  get stats(): RecorderStats {
    return {
      buffered: this.waiting.length + this.heldByFlush,
      inFlight: this.inFlightRecords,
      sent: this.sent,
      dropped: this.dropped,
      failedSends: this.failedSends,
    };
  }

  private startDueSends(now: number): void {
    if (this.flushing) return;
    const waiting = this.waiting;
    while (
      this.sending.size < this.maxConcurrentFlushes &&
      waiting.length > 0 &&
      now >= this.pausedUntil &&
      (waiting.length >= this.maxRecords || now - waiting.oldestRecordedAt() >= this.maxAgeMs)
    ) {
      this.launch(waiting.take(this.maxRecords));
    }
    this.armTimer(now);
  }

  /**
   * Sets a timer for when the next batch is due (oldest record of age, or end of a retry pause), unless
   * one already pending fires no later. None while every send slot is taken: the end of a send checks
   * again. A timer that fires for nothing is harmless.
   */
  private armTimer(now: number): void {
    if (this.flushing || this.waiting.length === 0 || this.sending.size >= this.maxConcurrentFlushes) return;
    const due =
      this.waiting.length >= this.maxRecords
        ? this.pausedUntil
        : Math.max(this.waiting.oldestRecordedAt() + this.maxAgeMs, this.pausedUntil);
    if (due >= this.timerDueAt) return;
    this.timerDueAt = due;
    this.setTimer(
      () => {
        if (this.timerDueAt === due) this.timerDueAt = Number.POSITIVE_INFINITY;
        this.resume();
      },
      Math.max(0, due - now),
    );
  }

  private resume(): void {
    try {
      this.startDueSends(this.now());
    } catch (error) {
      this.report(error, 0);
    }
  }

  private async drain(): Promise<void> {
    // Each round sends everything waiting; a record present at the start is settled within maxAttempts.
    for (let round = 0; round < this.maxAttempts; round++) {
      while (this.sending.size > 0) await Promise.all(this.sending);
      if (this.waiting.length === 0) return;
      const batches: Batch<T>[] = [];
      while (this.waiting.length > 0) batches.push(this.waiting.take(this.maxRecords));
      this.heldByFlush = batches.reduce((sum, batch) => sum + batch.records.length, 0);
      for (const batch of batches) {
        while (this.sending.size >= this.maxConcurrentFlushes) await Promise.race(this.sending);
        this.heldByFlush -= batch.records.length;
        this.launch(batch);
      }
    }
    while (this.sending.size > 0) await Promise.all(this.sending);
  }

  private launch(batch: Batch<T>): void {
    this.inFlightRecords += batch.records.length;
    const sending: Promise<void> = this.deliver(batch)
      .catch((error: unknown) => this.report(error, 0))
      .then(() => {
        this.sending.delete(sending);
        this.resume();
      });
    this.sending.add(sending);
  }

  private async deliver(batch: Batch<T>): Promise<void> {
    try {
      await this.sink.send(batch.records);
      this.inFlightRecords -= batch.records.length;
      this.sent += batch.records.length;
    } catch (error) {
      this.inFlightRecords -= batch.records.length;
      this.failedSends++;
      this.pausedUntil = this.now() + this.retryDelayMs;
      const lost = this.putBack(batch, error);
      if (lost > 0) this.report(error, lost);
    }
  }

  /** Puts the undelivered records of a failed batch back at the front; returns how many were given up. */
  private putBack(batch: Batch<T>, error: unknown): number {
    const undelivered = error instanceof UndeliveredRecordsError ? new Set(error.undelivered) : undefined;
    const retry: number[] = [];
    let lost = 0;
    for (let i = 0; i < batch.records.length; i++) {
      if (undelivered && !undelivered.has(batch.records[i]!)) this.sent++;
      else if (batch.attempts[i]! + 1 >= this.maxAttempts) lost++;
      else retry.push(i);
    }
    // Newest first, so the batch keeps its order; what finds no room is the oldest, hence dropped.
    let k = retry.length - 1;
    for (; k >= 0 && this.waiting.length < this.waiting.capacity; k--) {
      const i = retry[k]!;
      this.waiting.unshift(batch.records[i]!, batch.recordedAt[i]!, batch.attempts[i]! + 1);
    }
    lost += k + 1;
    this.dropped += lost;
    return lost;
  }

  private report(error: unknown, lostCount: number): void {
    try {
      this.onError?.(error, lostCount);
    } catch {
      // A failing error callback must not break recording.
    }
  }
}

/** What `flushOnShutdown` uses of `process`. */
export interface SignalTarget {
  readonly pid: number;
  once(signal: 'SIGTERM', listener: () => void): unknown;
  removeListener(signal: 'SIGTERM', listener: () => void): unknown;
  listenerCount(signal: 'SIGTERM'): number;
  kill(pid: number, signal: 'SIGTERM'): unknown;
}

export interface FlushOnShutdownOptions {
  /**
   * Longest wait for the flush before the signal takes its course. Default 250 ms: Lambda ends the
   * runtime 300 ms after its SIGTERM.
   */
  timeoutMs?: number;
  process?: SignalTarget;
}

const shutdownFlushesRunning = new WeakMap<SignalTarget, number>();

/**
 * Flushes `recorder` once when the process receives SIGTERM (Lambda sends it before shutting an
 * environment down when an extension is registered). A SIGTERM listener cancels the default exit, so
 * once the flush is done (or `timeoutMs` passed) and no other listener is left, the signal is sent
 * again to restore the usual ending. Returns a function that removes the listener.
 */
export function flushOnShutdown(
  recorder: { flush(): Promise<void> },
  options: FlushOnShutdownOptions = {},
): () => void {
  const target = options.process ?? process;
  const timeoutMs = options.timeoutMs ?? 250;
  const onSigterm = (): void => {
    shutdownFlushesRunning.set(target, (shutdownFlushesRunning.get(target) ?? 0) + 1);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
      timer.unref?.();
    });
    const finish = (): void => {
      clearTimeout(timer);
      const running = (shutdownFlushesRunning.get(target) ?? 1) - 1;
      shutdownFlushesRunning.set(target, running);
      if (running === 0 && target.listenerCount('SIGTERM') === 0) target.kill(target.pid, 'SIGTERM');
    };
    void Promise.race([Promise.resolve().then(() => recorder.flush()), timeout]).then(finish, finish);
  };
  target.once('SIGTERM', onSigterm);
  return () => {
    target.removeListener('SIGTERM', onSigterm);
  };
}

function unrefTimer(callback: () => void, ms: number): void {
  setTimeout(callback, ms).unref();
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!(value >= 0)) throw new RangeError(`${name} must be 0 or more, got ${value}`);
  return value;
}

/** Fixed-capacity double-ended queue: every operation but `take` is O(1) and allocates nothing. */
class RecordRing<T> {
  private readonly records: (T | undefined)[];
  private readonly recordedAt: Float64Array;
  private readonly attempts: Uint8Array;
  private head = 0;
  length = 0;

  constructor(readonly capacity: number) {
    this.records = new Array<T | undefined>(capacity).fill(undefined);
    this.recordedAt = new Float64Array(capacity);
    this.attempts = new Uint8Array(capacity);
  }

  /** The caller makes room first. */
  push(record: T, recordedAt: number, attempts: number): void {
    this.set(this.index(this.length), record, recordedAt, attempts);
    this.length++;
  }

  /** The caller makes room first. */
  unshift(record: T, recordedAt: number, attempts: number): void {
    this.head = this.head === 0 ? this.capacity - 1 : this.head - 1;
    this.set(this.head, record, recordedAt, attempts);
    this.length++;
  }

  dropOldest(): void {
    this.records[this.head] = undefined;
    this.head = this.index(1);
    this.length--;
  }

  oldestRecordedAt(): number {
    return this.recordedAt[this.head]!;
  }

  /** Removes up to `count` records from the front. */
  take(count: number): Batch<T> {
    const size = Math.min(count, this.length);
    const batch: Batch<T> = {
      records: new Array(size),
      recordedAt: new Array(size),
      attempts: new Array(size),
    };
    for (let i = 0; i < size; i++) {
      batch.records[i] = this.records[this.head]!;
      batch.recordedAt[i] = this.recordedAt[this.head]!;
      batch.attempts[i] = this.attempts[this.head]!;
      this.dropOldest();
    }
    return batch;
  }

  private index(offset: number): number {
    const i = this.head + offset;
    return i >= this.capacity ? i - this.capacity : i;
  }

  private set(i: number, record: T, recordedAt: number, attempts: number): void {
    this.records[i] = record;
    this.recordedAt[i] = recordedAt;
    this.attempts[i] = attempts;
  }
}
