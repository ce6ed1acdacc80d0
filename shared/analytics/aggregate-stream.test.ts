import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CellSum, cellsOf } from './aggregate-cells.ts';
import { aggregateStream, type StreamRecord } from './aggregate-stream.ts';
import type { AggregateStore } from './ports.ts';
import { sampleCallRecord } from './testing/call-record.fixture.ts';
import { MemoryAggregateStore } from './testing/memory-aggregate-store.ts';

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
const expected = (records: readonly StreamRecord[]) => {
  const sum = new CellSum();
  for (const r of records) if (r.record) sum.add(cellsOf(r.record));
  return new Map(sum.toArray().map((c) => [`${c.dimension}\n${c.period}`, c.counters]));
};
const stored = (store: MemoryAggregateStore) =>
  new Map([...store.cells].map(([key, c]) => [key, c.counters]));

/** A store that fails its `apply` after `writes` successful ones (a crash mid-batch), once. */
function crashingAfter(inner: MemoryAggregateStore, writes: number): AggregateStore {
  let left = writes;
  return {
    checkpoint: (shard) => inner.checkpoint(shard),
    read: (...args) => inner.read(...args),
    apply: async (...args) => {
      if (left-- === 0) throw new Error('the store went away');
      return inner.apply(...args);
    },
  };
}

describe('aggregateStream', () => {
  it('adds a batch once, and nothing when the same batch comes again', async () => {
    const store = new MemoryAggregateStore();
    const records = streamRecords(40);
    expect(await aggregateStream(store, records)).toMatchObject({ added: 40, alreadyAdded: 0 });
    expect(await aggregateStream(store, records)).toMatchObject({ added: 0, alreadyAdded: 40, writes: 0 });
    expect(stored(store)).toEqual(expected(records));
    expect(store.checkpoints.get(records[0]!.shard)).toBe(records.at(-1)!.sequence);
  });

  it('splits a batch into writes of at most the cell budget, each moving the checkpoint', async () => {
    const store = new MemoryAggregateStore();
    const records = streamRecords(30);
    const applied: number[] = [];
    const counting: AggregateStore = {
      ...store,
      checkpoint: (s) => store.checkpoint(s),
      read: (...a) => store.read(...a),
      apply: async (shard, after, through, cells) => {
        applied.push(cells.length);
        return store.apply(shard, after, through, cells);
      },
    };
    const result = await aggregateStream(counting, records, { maxCellsPerWrite: 40 });
    expect(result.writes).toBeGreaterThan(1);
    expect(Math.max(...applied)).toBeLessThanOrEqual(40);
    expect(stored(store)).toEqual(expected(records));
  });

  it('keeps every cell of a write to the counter budget (one term of its update expression each)', async () => {
    const store = new MemoryAggregateStore();
    // Every latency its own bucket: the `calls` cell would gather one counter per record.
    const records = streamRecords(200).map((r, i) => ({
      ...r,
      record: sampleCallRecord({ latencyMs: 1 + i * 7.3, timestamp: '2030-01-01T10:00:00Z' }),
    }));
    let widest = 0;
    const measuring: AggregateStore = {
      checkpoint: (s) => store.checkpoint(s),
      read: (...a) => store.read(...a),
      apply: async (shard, after, through, cells) => {
        widest = Math.max(widest, ...cells.map((c) => Object.keys(c.counters).length));
        return store.apply(shard, after, through, cells);
      },
    };
    const result = await aggregateStream(measuring, records, { maxCountersPerCell: 40 });
    expect(widest).toBeLessThanOrEqual(40);
    expect(result.writes).toBeGreaterThan(2);
    expect(stored(store)).toEqual(expected(records));
  });

  it('passes over undecodable records and counts them, moving the checkpoint past them', async () => {
    const store = new MemoryAggregateStore();
    const records = streamRecords(5);
    records[4] = { ...records[4]!, record: undefined };
    expect(await aggregateStream(store, records)).toMatchObject({ added: 4, undecodable: 1 });
    expect(store.checkpoints.get(records[0]!.shard)).toBe(records[4]!.sequence);
  });

  it('starts again from the checkpoint it finds moved by another reader', async () => {
    const store = new MemoryAggregateStore();
    const records = streamRecords(10);
    // Another reader adds the first 6 between this one's read of the checkpoint and its write.
    let raced = false;
    const racing: AggregateStore = {
      checkpoint: (s) => store.checkpoint(s),
      read: (...a) => store.read(...a),
      apply: async (...args) => {
        if (!raced) {
          raced = true;
          await aggregateStream(store, records.slice(0, 6));
        }
        return store.apply(...args);
      },
    };
    const result = await aggregateStream(racing, records);
    expect(result).toMatchObject({ added: 4 });
    expect(stored(store)).toEqual(expected(records));
  });

  it('keeps each shard to its own checkpoint', async () => {
    const store = new MemoryAggregateStore();
    const one = streamRecords(6, 'analytics/shardId-1');
    const two = streamRecords(6, 'analytics/shardId-2');
    await aggregateStream(store, [...one.slice(0, 3), ...two]);
    await aggregateStream(store, [...one, ...two]);
    expect(stored(store)).toEqual(expected([...one, ...two]));
  });

  it('counts every record exactly once under any mix of retries, bisected batches, replays and crashes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 60 }),
        fc.array(
          fc.record({
            from: fc.nat(),
            length: fc.integer({ min: 1, max: 60 }),
            crashAfter: fc.option(fc.nat({ max: 4 }), { nil: undefined }),
          }),
          { maxLength: 12 },
        ),
        fc.integer({ min: 12, max: 120 }),
        fc.integer({ min: 8, max: 60 }),
        async (count, deliveries, maxCellsPerWrite, maxCountersPerCell) => {
          const records = streamRecords(count);
          const store = new MemoryAggregateStore();
          const next = () => {
            const checkpoint = store.checkpoints.get(records[0]!.shard);
            return checkpoint === undefined ? 0 : records.findIndex((r) => r.sequence === checkpoint) + 1;
          };
          for (const { from, length, crashAfter } of deliveries) {
            // A batch starts at or before the first record not yet added (a retry, a half of a
            // bisected batch, or an operator's replay of an older range), never past it.
            const start = from % (next() + 1);
            const batch = records.slice(start, start + length);
            const target = crashAfter === undefined ? store : crashingAfter(store, crashAfter);
            await aggregateStream(target, batch, { maxCellsPerWrite, maxCountersPerCell }).catch(
              () => undefined,
            );
          }
          // The mapping keeps retrying from the first record not added until the shard is read through.
          await aggregateStream(store, records.slice(next()), { maxCellsPerWrite, maxCountersPerCell });
          expect(stored(store)).toEqual(expected(records));
        },
      ),
      { numRuns: 200 },
    );
  });
});
