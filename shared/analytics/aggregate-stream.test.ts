import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cellsOf } from './aggregate-cells.ts';
import { aggregateStream, type StreamRecord } from './aggregate-stream.ts';
import type { AggregateStore } from './ports.ts';
import { sampleCallRecord } from './testing/call-record.fixture.ts';
import { MemoryAggregateStore } from './testing/memory-aggregate-store.ts';
import { sumCells } from './testing/sum-cells.ts';

// Kinesis sequence numbers are wide decimals: far past Number's exact range.
const BASE = 49545115243490985018280067714973144582180062593244200961n;
const streamRecords = (count: number, shard = 'analytics/shardId-000000000000'): StreamRecord[] =>
  Array.from({ length: count }, (_, i) => ({
    shard,
    sequence: String(BASE + BigInt(i) * 1000n),
    record: sampleCallRecord({
      requestId: `r${i}`,
      appId: `app-${i % 3}`,
      api: i % 2 ? 'orders' : 'echo',
      status: [200, 200, 404, 503][i % 4]!,
      latencyMs: (i * 37) % 900,
      timestamp: new Date(Date.UTC(2030, 0, 1, 10, i % 3, 0)).toISOString(),
    }),
  }));
const expected = (records: readonly StreamRecord[]) =>
  new Map(
    sumCells(records.flatMap((r) => (r.record ? cellsOf(r.record) : []))).map((c) => [
      `${c.dimension}\n${c.period}`,
      c.counters,
    ]),
  );
const stored = (store: MemoryAggregateStore) =>
  new Map([...store.cells].map(([key, c]) => [key, c.counters]));

/** A store whose `save` fails after `writes` successful ones (a crash mid-batch). */
function crashingAfter(inner: MemoryAggregateStore, writes: number): AggregateStore {
  let left = writes;
  return {
    load: (keys) => inner.load(keys),
    read: (...args) => inner.read(...args),
    save: async (...args) => {
      if (left-- <= 0) throw new Error('the store went away');
      return inner.save(...args);
    },
  };
}

describe('aggregateStream', () => {
  it('adds a batch once, and nothing when the same batch comes again', async () => {
    const store = new MemoryAggregateStore();
    const records = streamRecords(40);
    const first = await aggregateStream(store, records);
    expect(first).toMatchObject({ added: 40, alreadyAdded: 0, writes: expected(records).size });
    expect(await aggregateStream(store, records)).toMatchObject({ added: 0, alreadyAdded: 40, writes: 0 });
    expect(stored(store)).toEqual(expected(records));
  });

  it('writes each cell once per batch, however many records add to it', async () => {
    const store = new MemoryAggregateStore();
    const saved: string[] = [];
    const counting: AggregateStore = {
      load: (keys) => store.load(keys),
      read: (...a) => store.read(...a),
      save: async (cell, read) => {
        saved.push(`${cell.dimension}\n${cell.period}`);
        return store.save(cell, read);
      },
    };
    const records = streamRecords(300);
    await aggregateStream(counting, records);
    expect(saved.length).toBe(new Set(saved).size);
    expect(saved.length).toBe(expected(records).size);
    expect(stored(store)).toEqual(expected(records));
  });

  it('passes over undecodable records and counts them', async () => {
    const store = new MemoryAggregateStore();
    const records = streamRecords(5);
    records[4] = { ...records[4]!, record: undefined };
    expect(await aggregateStream(store, records)).toMatchObject({ added: 4, undecodable: 1 });
    expect(stored(store)).toEqual(expected(records));
  });

  it("reads a cell again when another writer changed it first, keeping both writers' counts", async () => {
    const store = new MemoryAggregateStore();
    const one = streamRecords(10, 'analytics/shardId-1');
    const two = streamRecords(10, 'analytics/shardId-2');
    // The reader of shard 2 writes every cell between this reader's load and its writes.
    let raced = false;
    const racing: AggregateStore = {
      load: (keys) => store.load(keys),
      read: (...a) => store.read(...a),
      save: async (...args) => {
        if (!raced) {
          raced = true;
          await aggregateStream(store, two);
        }
        return store.save(...args);
      },
    };
    expect(await aggregateStream(racing, one)).toMatchObject({ added: 10 });
    expect(stored(store)).toEqual(expected([...one, ...two]));
  });

  it('gives up on a cell that keeps changing, so the batch is retried', async () => {
    const store = new MemoryAggregateStore();
    const never: AggregateStore = {
      load: (k) => store.load(k),
      read: (...a) => store.read(...a),
      save: async () => false,
    };
    await expect(aggregateStream(never, streamRecords(2), { maxConflicts: 2 })).rejects.toThrow(
      /keeps changing/,
    );
  });

  it('keeps a mark per shard in each cell', async () => {
    const store = new MemoryAggregateStore();
    const one = streamRecords(6, 'analytics/shardId-1');
    const two = streamRecords(6, 'analytics/shardId-2');
    await aggregateStream(store, [...one.slice(0, 3), ...two]);
    await aggregateStream(store, [...one, ...two]);
    expect(stored(store)).toEqual(expected([...one, ...two]));
    expect(store.cells.get(`calls\nMIN#2030-01-01T10:00`)!.counted).toEqual({
      'analytics/shardId-1': one[3]!.sequence,
      'analytics/shardId-2': two[3]!.sequence,
    });
  });

  it('counts every record exactly once under any mix of retries, bisected batches, replays and crashes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 60 }),
        fc.array(
          fc.record({
            from: fc.nat(),
            length: fc.integer({ min: 1, max: 60 }),
            crashAfter: fc.option(fc.nat({ max: 30 }), { nil: undefined }),
          }),
          { maxLength: 12 },
        ),
        fc.integer({ min: 1, max: 8 }),
        async (count, deliveries, concurrency) => {
          const records = streamRecords(count);
          const store = new MemoryAggregateStore();
          // The first record of the shard not yet acknowledged: the mapping moves past a batch only when
          // it succeeds, and otherwise retries it (or a half of it).
          let acknowledged = 0;
          for (const { from, length, crashAfter } of deliveries) {
            // A batch starts at or before the first record not acknowledged (a retry, a half of a
            // bisected batch, or an operator's replay of an older range), never past it.
            const start = from % (acknowledged + 1);
            const batch = records.slice(start, start + length);
            const target = crashAfter === undefined ? store : crashingAfter(store, crashAfter);
            const ok = await aggregateStream(target, batch, { concurrency }).then(
              () => true,
              () => false,
            );
            if (ok) acknowledged = Math.max(acknowledged, Math.min(records.length, start + length));
          }
          // The mapping keeps retrying from the first record not acknowledged until the shard is read through.
          await aggregateStream(store, records.slice(acknowledged), { concurrency });
          expect(stored(store)).toEqual(expected(records));
        },
      ),
      { numRuns: 200 },
    );
  });
});
