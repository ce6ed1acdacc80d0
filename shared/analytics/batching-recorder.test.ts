import { EventEmitter } from 'node:events';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BatchingRecorder, flushOnShutdown, type SignalTarget } from './batching-recorder.ts';
import type { AnalyticsRecord, AnalyticsSink, CallRecord } from './call-record.ts';
import { UndeliveredRecordsError } from './record-sink.ts';
import { sampleCallRecord } from './testing/call-record.fixture.ts';

const call = (n: number): CallRecord => sampleCallRecord({ requestId: `r${n}` });

const ids = (records: AnalyticsRecord[]) =>
  records.map((r) => (r.kind === 'call' ? r.requestId : r.deliveryId));

/** A sink that records every batch it is given and answers as `answer` says (default: delivered). */
function fakeSink(answer: (records: CallRecord[], call: number) => Promise<void> = async () => {}) {
  const batches: CallRecord[][] = [];
  const sink: AnalyticsSink = {
    send: vi.fn((records: CallRecord[]) => {
      batches.push([...records]);
      return answer(records, batches.length);
    }),
  };
  return { sink, batches };
}

/** A clock the test moves by hand, with timers that never fire on their own. */
function manualTime() {
  let now = 0;
  const timers: { at: number; callback: () => void }[] = [];
  return {
    now: () => now,
    setTimer: (callback: () => void, ms: number) => void timers.push({ at: now + ms, callback }),
    /** Moves the clock and fires the timers that have come due. */
    advance(ms: number) {
      now += ms;
      for (const timer of timers.filter((t) => t.at <= now)) {
        timers.splice(timers.indexOf(timer), 1);
        timer.callback();
      }
    },
    pendingTimers: () => timers.length,
  };
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

function deferred() {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('BatchingRecorder', () => {
  it('sends a batch as soon as maxRecords are waiting', async () => {
    const { sink, batches } = fakeSink();
    const recorder = new BatchingRecorder(sink, { maxRecords: 3, ...manualTime() });
    recorder.record(call(1));
    recorder.record(call(2));
    expect(batches).toHaveLength(0);
    expect(recorder.stats.buffered).toBe(2);

    recorder.record(call(3));
    expect(batches.map(ids)).toEqual([['r1', 'r2', 'r3']]);
    expect(recorder.stats).toMatchObject({ buffered: 0, inFlight: 3 });
    await settle();
    expect(recorder.stats).toEqual({ buffered: 0, inFlight: 0, sent: 3, dropped: 0, failedSends: 0 });
  });

  it('sends once the oldest record is maxAgeMs old, from a timer when no other record comes', async () => {
    vi.useFakeTimers();
    const { sink, batches } = fakeSink();
    const recorder = new BatchingRecorder(sink, { maxAgeMs: 1_000 });
    recorder.record(call(1));
    await vi.advanceTimersByTimeAsync(600);
    recorder.record(call(2));
    await vi.advanceTimersByTimeAsync(399);
    expect(batches).toHaveLength(0);

    await vi.advanceTimersByTimeAsync(1);
    expect(batches.map(ids)).toEqual([['r1', 'r2']]);
    expect(recorder.stats.sent).toBe(2);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('checks the age on every record call too', () => {
    const time = manualTime();
    const { sink, batches } = fakeSink();
    const recorder = new BatchingRecorder(sink, { maxAgeMs: 1_000, now: time.now, setTimer: () => {} });
    recorder.record(call(1));
    recorder.record(call(2));
    expect(batches).toHaveLength(0);
    time.advance(1_000);
    recorder.record(call(3));
    expect(batches.map(ids)).toEqual([['r1', 'r2', 'r3']]);
  });

  it('keeps one timer at a time, and none once nothing waits', async () => {
    const time = manualTime();
    const { sink } = fakeSink();
    const recorder = new BatchingRecorder(sink, { maxAgeMs: 1_000, ...time });
    for (let i = 0; i < 50; i++) recorder.record(call(i));
    expect(time.pendingTimers()).toBe(1);
    time.advance(1_000);
    await settle();
    expect(recorder.stats.sent).toBe(50);
    expect(time.pendingTimers()).toBe(0);
  });

  it('flush() sends everything now, in batches of at most maxRecords', async () => {
    const { sink, batches } = fakeSink();
    const recorder = new BatchingRecorder(sink, { maxRecords: 100, maxAgeMs: 60_000, ...manualTime() });
    for (let i = 0; i < 250; i++) recorder.record(call(i));
    expect(batches.map((b) => b.length)).toEqual([100]);

    await recorder.flush();
    expect(batches.map((b) => b.length)).toEqual([100, 100, 50]);
    expect(recorder.stats).toEqual({ buffered: 0, inFlight: 0, sent: 250, dropped: 0, failedSends: 0 });
    await recorder.flush();
    expect(batches).toHaveLength(3);
  });

  it('flush() waits for the sends already in flight', async () => {
    const slow = deferred();
    const { sink } = fakeSink(() => slow.promise);
    const recorder = new BatchingRecorder(sink, { maxRecords: 1, ...manualTime() });
    recorder.record(call(1));
    let flushed = false;
    const flushing = recorder.flush().then(() => {
      flushed = true;
    });
    await settle();
    expect(flushed).toBe(false);
    slow.resolve();
    await flushing;
    expect(recorder.stats.sent).toBe(1);
  });

  it('drops the oldest records beyond maxBuffered, and counts them', async () => {
    const { sink, batches } = fakeSink();
    const recorder = new BatchingRecorder(sink, { maxBuffered: 5, maxAgeMs: 60_000, ...manualTime() });
    for (let i = 0; i < 8; i++) recorder.record(call(i));
    expect(recorder.stats).toMatchObject({ buffered: 5, dropped: 3 });

    await recorder.flush();
    expect(batches.map(ids)).toEqual([['r3', 'r4', 'r5', 'r6', 'r7']]);
  });

  it('puts a failed batch back at the front, retries after retryDelayMs, gives up after maxAttempts', async () => {
    const time = manualTime();
    const onError = vi.fn();
    const refusal = new Error('stream unavailable');
    const { sink, batches } = fakeSink(async () => {
      throw refusal;
    });
    const recorder = new BatchingRecorder(sink, { maxRecords: 2, retryDelayMs: 500, onError, ...time });
    recorder.record(call(1));
    recorder.record(call(2));
    await settle();
    expect(onError).not.toHaveBeenCalled();
    expect(recorder.stats).toMatchObject({ buffered: 2, failedSends: 1, dropped: 0 });

    recorder.record(call(3));
    time.advance(499);
    await settle();
    expect(batches).toHaveLength(1);

    time.advance(1);
    await settle();
    expect(batches.map(ids)).toEqual([
      ['r1', 'r2'],
      ['r1', 'r2'],
    ]);

    time.advance(500);
    await settle();
    expect(batches[2]).toEqual(batches[0]);
    expect(onError).toHaveBeenCalledExactlyOnceWith(refusal, 2);
    expect(recorder.stats).toEqual({ buffered: 1, inFlight: 0, sent: 0, dropped: 2, failedSends: 3 });
  });

  it('delivers a batch that fails once and then succeeds, once', async () => {
    const time = manualTime();
    const { sink, batches } = fakeSink(async (_records, n) => {
      if (n === 1) throw new Error('throttled');
    });
    const recorder = new BatchingRecorder(sink, { maxRecords: 2, retryDelayMs: 100, ...time });
    recorder.record(call(1));
    recorder.record(call(2));
    await settle();
    time.advance(100);
    await settle();
    expect(batches.map(ids)).toEqual([
      ['r1', 'r2'],
      ['r1', 'r2'],
    ]);
    expect(recorder.stats).toMatchObject({ buffered: 0, sent: 2, dropped: 0, failedSends: 1 });
  });

  it('resends only the records the sink names as undelivered', async () => {
    const { sink, batches } = fakeSink(async (records, n) => {
      if (n === 1) throw new UndeliveredRecordsError('1 refused', [records[1]!]);
    });
    const recorder = new BatchingRecorder(sink, { maxRecords: 3, ...manualTime() });
    for (let i = 1; i <= 3; i++) recorder.record(call(i));
    await settle();
    expect(recorder.stats).toMatchObject({ buffered: 1, sent: 2, failedSends: 1 });
    await recorder.flush();
    expect(batches.map(ids)).toEqual([['r1', 'r2', 'r3'], ['r2']]);
    expect(recorder.stats).toMatchObject({ buffered: 0, sent: 3, dropped: 0 });
  });

  it('flush() retries a failing batch at once, up to maxAttempts, then reports the loss', async () => {
    const onError = vi.fn();
    const { sink, batches } = fakeSink(async () => {
      throw new Error('down');
    });
    const recorder = new BatchingRecorder(sink, {
      maxAttempts: 3,
      retryDelayMs: 60_000,
      onError,
      ...manualTime(),
    });
    for (let i = 0; i < 4; i++) recorder.record(call(i));

    await recorder.flush();
    expect(batches).toHaveLength(3);
    expect(onError.mock.calls.map(([, lost]) => lost)).toEqual([4]);
    expect(recorder.stats).toEqual({ buffered: 0, inFlight: 0, sent: 0, dropped: 4, failedSends: 3 });
  });

  it('runs at most maxConcurrentFlushes sends at once', async () => {
    const pending: ReturnType<typeof deferred>[] = [];
    let running = 0;
    let mostRunning = 0;
    const { sink, batches } = fakeSink(() => {
      const send = deferred();
      pending.push(send);
      running++;
      mostRunning = Math.max(mostRunning, running);
      return send.promise.finally(() => running--);
    });
    const recorder = new BatchingRecorder(sink, { maxRecords: 1, maxConcurrentFlushes: 2, ...manualTime() });
    for (let i = 0; i < 5; i++) recorder.record(call(i));
    expect(batches).toHaveLength(2);
    expect(recorder.stats).toMatchObject({ buffered: 3, inFlight: 2 });

    pending[0]!.resolve();
    await settle();
    expect(batches).toHaveLength(3);

    const flushing = recorder.flush();
    while (recorder.stats.sent < 5) {
      for (const send of pending) send.resolve();
      await settle();
    }
    await flushing;
    expect(mostRunning).toBe(2);
    expect(ids(batches.flat())).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
  });

  it('never throws, whether the sink throws synchronously, rejects, or onError throws', async () => {
    const onError = vi.fn(() => {
      throw new Error('logger broken');
    });
    const throwing: AnalyticsSink = {
      send: () => {
        throw new Error('sync');
      },
    };
    const rejecting: AnalyticsSink = { send: () => Promise.reject(new Error('async')) };
    for (const sink of [throwing, rejecting]) {
      const recorder = new BatchingRecorder(sink, {
        maxRecords: 1,
        maxAttempts: 1,
        onError,
        ...manualTime(),
      });
      expect(() => recorder.record(call(1))).not.toThrow();
      await settle();
      expect(() => recorder.record(call(2))).not.toThrow();
      await expect(recorder.flush()).resolves.toBeUndefined();
      expect(recorder.stats).toMatchObject({ sent: 0, dropped: 2, buffered: 0 });
    }
    expect(onError).toHaveBeenCalledTimes(4);
  });

  it('records 100k calls through a no-op sink in batches of 100, losing none', async () => {
    const { sink, batches } = fakeSink();
    const recorder = new BatchingRecorder(sink);
    for (let burst = 0; burst < 100; burst++) {
      for (let i = 0; i < 1_000; i++) recorder.record(call(burst * 1_000 + i));
      await settle();
    }
    await recorder.flush();
    expect(recorder.stats).toEqual({ buffered: 0, inFlight: 0, sent: 100_000, dropped: 0, failedSends: 0 });
    expect(batches).toHaveLength(1_000);
    expect(batches.every((b) => b.length === 100)).toBe(true);
  });

  it('holds at most maxBuffered records through a burst the sink cannot absorb', async () => {
    const { sink } = fakeSink();
    const recorder = new BatchingRecorder(sink);
    for (let i = 0; i < 100_000; i++) recorder.record(call(i));
    expect(recorder.stats).toMatchObject({ buffered: 10_000, inFlight: 100, sent: 0, dropped: 89_900 });
    await recorder.flush();
    expect(recorder.stats).toMatchObject({ buffered: 0, sent: 10_100, dropped: 89_900 });
  });

  it('accounts for every record exactly once, whatever the sink does', async () => {
    type Outcome = 'ok' | 'fail' | 'partial' | 'throw';
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.record({ op: fc.constant('record' as const), count: fc.integer({ min: 1, max: 30 }) }),
            fc.record({ op: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 1_500 }) }),
          ),
          { maxLength: 30 },
        ),
        fc.array(fc.constantFrom<Outcome>('ok', 'fail', 'partial', 'throw'), { minLength: 1, maxLength: 20 }),
        fc.record({
          maxRecords: fc.integer({ min: 1, max: 20 }),
          maxBuffered: fc.integer({ min: 1, max: 60 }),
          maxConcurrentFlushes: fc.integer({ min: 1, max: 3 }),
          maxAttempts: fc.integer({ min: 1, max: 4 }),
        }),
        async (script, outcomes, limits) => {
          const time = manualTime();
          const delivered: string[] = [];
          let sends = 0;
          let lostReported = 0;
          const tries = new Map<string, number>();
          const sink: AnalyticsSink = {
            send(records) {
              for (const id of ids(records)) tries.set(id, (tries.get(id) ?? 0) + 1);
              const outcome = outcomes[sends++ % outcomes.length]!;
              if (outcome === 'throw') throw new Error('sync');
              if (outcome === 'fail') return Promise.reject(new Error('down'));
              if (outcome === 'ok') {
                delivered.push(...ids(records));
                return Promise.resolve();
              }
              delivered.push(...ids(records.filter((_, i) => i % 2 === 0)));
              const refused = records.filter((_, i) => i % 2 === 1);
              return refused.length > 0
                ? Promise.reject(new UndeliveredRecordsError('some refused', refused))
                : Promise.resolve();
            },
          };
          const recorder = new BatchingRecorder(sink, {
            ...limits,
            maxAgeMs: 1_000,
            retryDelayMs: 300,
            onError: (_error, lost) => {
              lostReported += lost;
            },
            ...time,
          });
          let recorded = 0;
          for (const step of script) {
            if (step.op === 'record') for (let i = 0; i < step.count; i++) recorder.record(call(recorded++));
            else {
              time.advance(step.ms);
              await settle();
            }
            const s = recorder.stats;
            expect(s.sent + s.dropped + s.buffered + s.inFlight).toBe(recorded);
            expect(s.buffered).toBeLessThanOrEqual(limits.maxBuffered);
          }
          await recorder.flush();
          const s = recorder.stats;
          expect(new Set(delivered).size).toBe(delivered.length);
          expect(s.sent).toBe(delivered.length);
          expect(s.inFlight).toBe(0);
          expect(s.buffered).toBe(0);
          expect(s.sent + s.dropped).toBe(recorded);
          expect(lostReported).toBeLessThanOrEqual(s.dropped);
          expect(Math.max(0, ...tries.values())).toBeLessThanOrEqual(limits.maxAttempts);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('flushOnShutdown', () => {
  function fakeProcess() {
    const target = Object.assign(new EventEmitter(), { pid: 4242, kill: vi.fn() });
    return target as typeof target & SignalTarget;
  }

  it('flushes once on SIGTERM, then sends the signal again when nobody else listens', async () => {
    const target = fakeProcess();
    const { sink, batches } = fakeSink();
    const recorder = new BatchingRecorder(sink, manualTime());
    recorder.record(call(1));
    const flush = vi.spyOn(recorder, 'flush');
    recorder.flushOnShutdown({ process: target });
    expect(flush).not.toHaveBeenCalled();

    target.emit('SIGTERM');
    target.emit('SIGTERM');
    await settle();
    expect(flush).toHaveBeenCalledTimes(1);
    expect(batches.map(ids)).toEqual([['r1']]);
    expect(target.kill).toHaveBeenCalledExactlyOnceWith(4242, 'SIGTERM');
  });

  it('leaves the ending to other SIGTERM listeners when there are some', async () => {
    const target = fakeProcess();
    target.on('SIGTERM', () => {});
    flushOnShutdown({ flush: async () => {} }, { process: target });
    target.emit('SIGTERM');
    await settle();
    expect(target.kill).not.toHaveBeenCalled();
  });

  it('stops waiting for a flush that hangs after timeoutMs', async () => {
    vi.useFakeTimers();
    const target = fakeProcess();
    flushOnShutdown({ flush: () => new Promise(() => {}) }, { process: target, timeoutMs: 300 });
    target.emit('SIGTERM');
    await vi.advanceTimersByTimeAsync(299);
    expect(target.kill).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(target.kill).toHaveBeenCalledOnce();
  });

  it('can be unregistered', () => {
    const target = fakeProcess();
    const flush = vi.fn(async () => {});
    const unregister = flushOnShutdown({ flush }, { process: target });
    unregister();
    target.emit('SIGTERM');
    expect(flush).not.toHaveBeenCalled();
    expect(target.listenerCount('SIGTERM')).toBe(0);
  });
});
