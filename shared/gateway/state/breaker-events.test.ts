import { describe, expect, it, vi } from 'vitest';
import type { GatewayEventEntry } from '../circuit-breaker/events.ts';
import type { GatewayEventSink } from '../ports.ts';
import { BreakerEventPublisher, BreakerEventsNotAcceptedError } from './breaker-events.ts';

const entry = (n: number): GatewayEventEntry => ({
  EventBusName: 'portico',
  Source: 'portico.gateway',
  DetailType: 'Circuit Breaker State Changed',
  Time: new Date(n),
  Detail: JSON.stringify({ n }),
});
const numbers = (entries: readonly GatewayEventEntry[]) => entries.map((e) => JSON.parse(e.Detail).n);

/** A sink recording each call; `answer` decides which entries of a call fail (or throws). */
class FakeSink implements GatewayEventSink {
  readonly calls: number[][] = [];
  inFlight = 0;
  maxInFlight = 0;
  gate: Promise<void> | undefined;
  answer: (entries: readonly GatewayEventEntry[], call: number) => number[] = () => [];

  async put(entries: readonly GatewayEventEntry[]): Promise<{ failed: number[] }> {
    this.calls.push(numbers(entries));
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await this.gate;
      return { failed: this.answer(entries, this.calls.length) };
    } finally {
      this.inFlight--;
    }
  }
}

describe('BreakerEventPublisher', () => {
  it('sends in the background, at most 10 entries per call, one call at a time', async () => {
    const sink = new FakeSink();
    const publisher = new BreakerEventPublisher(sink, { retryDelayMs: 0 });
    for (let i = 0; i < 25; i++) publisher.enqueue(entry(i));
    await vi.waitFor(() => expect(publisher.stats.published).toBe(25));
    expect(sink.calls.map((c) => c.length)).toEqual([1, 10, 10, 4]);
    expect(sink.calls.flat()).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(sink.maxInFlight).toBe(1);
    expect(publisher.pending).toBe(0);
    expect(publisher.stats).toEqual({ published: 25, failed: 0, dropped: 0, calls: 4 });
  });

  it('flush() sends everything queued and resolves when done', async () => {
    const sink = new FakeSink();
    const publisher = new BreakerEventPublisher(sink, { retryDelayMs: 0 });
    for (let i = 0; i < 12; i++) publisher.enqueue(entry(i));
    await publisher.flush();
    expect(sink.calls.flat()).toHaveLength(12);
    await publisher.flush(); // nothing queued: no call
    expect(sink.calls).toHaveLength(3);
  });

  it('retries the entries a call did not get accepted, once', async () => {
    const sink = new FakeSink();
    sink.answer = (_entries, call) => (call === 2 ? [1, 3] : []);
    const errors: unknown[] = [];
    const publisher = new BreakerEventPublisher(sink, { retryDelayMs: 0, onError: (e) => errors.push(e) });
    for (let i = 0; i < 5; i++) publisher.enqueue(entry(i));
    await publisher.flush();
    // The first entry went alone (the background flush started at once), then 1..4, then its failures.
    expect(sink.calls).toEqual([[0], [1, 2, 3, 4], [2, 4]]);
    expect(publisher.stats).toEqual({ published: 5, failed: 0, dropped: 0, calls: 3 });
    expect(errors).toEqual([]);
  });

  it('gives up on entries that fail their retry too, counting them', async () => {
    const sink = new FakeSink();
    sink.answer = (entries) => (numbers(entries).includes(7) ? [numbers(entries).indexOf(7)] : []);
    const errors: unknown[] = [];
    const publisher = new BreakerEventPublisher(sink, { retryDelayMs: 0, onError: (e) => errors.push(e) });
    for (let i = 0; i < 10; i++) publisher.enqueue(entry(i));
    await publisher.flush();
    expect(sink.calls).toEqual([[0], [1, 2, 3, 4, 5, 6, 7, 8, 9], [7]]);
    expect(publisher.stats).toMatchObject({ published: 9, failed: 1, calls: 3 });
    expect(errors).toEqual([new BreakerEventsNotAcceptedError(1)]);
  });

  it('retries a whole call that failed, once, and never rejects', async () => {
    const sink: GatewayEventSink = {
      put: vi
        .fn()
        .mockRejectedValueOnce(new Error('throttled'))
        .mockResolvedValueOnce({ failed: [] })
        .mockRejectedValue(new Error('down')),
    };
    const errors: unknown[] = [];
    const publisher = new BreakerEventPublisher(sink, {
      retryDelayMs: 1,
      onError: (e) => {
        errors.push(e);
        throw new Error('logger broken');
      },
    });
    publisher.enqueue(entry(1));
    await publisher.flush();
    expect(publisher.stats).toMatchObject({ published: 1, failed: 0, calls: 2 });
    publisher.enqueue(entry(2));
    await expect(publisher.flush()).resolves.toBeUndefined();
    expect(publisher.stats).toMatchObject({ published: 1, failed: 1, calls: 4 });
    expect(errors.map((e) => (e as Error).message)).toEqual([
      'throttled',
      'down',
      'down',
      '1 breaker event(s) were not accepted after a retry',
    ]);
  });

  it('keeps at most maxQueue entries waiting, dropping the oldest', async () => {
    const sink = new FakeSink();
    let open!: () => void;
    sink.gate = new Promise((resolve) => {
      open = resolve;
    });
    const publisher = new BreakerEventPublisher(sink, { maxQueue: 1_000, retryDelayMs: 0 });
    publisher.enqueue(entry(0)); // taken at once by the background flush, which now hangs
    for (let i = 1; i <= 1_005; i++) publisher.enqueue(entry(i));
    expect(publisher.pending).toBe(1_000);
    expect(publisher.stats.dropped).toBe(5);
    open();
    await publisher.flush();
    const sent = sink.calls.flat();
    expect(sent).toEqual([0, ...Array.from({ length: 1_000 }, (_, i) => i + 6)]);
    expect(publisher.stats).toEqual({ published: 1_001, failed: 0, dropped: 5, calls: 101 });
  });

  it('stays bounded in memory through a long outage', async () => {
    const sink = new FakeSink();
    let open!: () => void;
    sink.gate = new Promise((resolve) => {
      open = resolve;
    });
    const publisher = new BreakerEventPublisher(sink, { maxQueue: 10, retryDelayMs: 0 });
    for (let i = 0; i < 100_000; i++) publisher.enqueue(entry(i));
    expect(publisher.pending).toBe(10);
    expect((publisher as unknown as { items: unknown[] }).items.length).toBeLessThanOrEqual(2_100);
    open();
    await publisher.flush();
    expect(publisher.stats.dropped).toBe(100_000 - 11);
  });
});
