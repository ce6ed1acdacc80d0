import { type AggregateCell, cellsOf, mergeCounters } from './aggregate-cells.ts';
import type { AnalyticsRecord } from './call-record.ts';
import type { AggregateStore, StoredCell } from './ports.ts';

/** One record as the stream hands it over; `record` is undefined when it could not be decoded. */
export interface StreamRecord {
  /** The stream and shard it came from (cells keep a mark per shard). */
  shard: string;
  sequence: string;
  record: AnalyticsRecord | undefined;
}

export interface AggregateOptions {
  /** Cells written at the same time. */
  concurrency?: number;
  /** Times a cell's write may find it changed by another writer before the batch fails. */
  maxConflicts?: number;
}

export interface AggregateResult {
  /** Records counted now in at least one of their cells. */
  added: number;
  /** Records already counted in every one of their cells. */
  alreadyAdded: number;
  /** Undecodable records, passed over. */
  undecodable: number;
  /** Cells written. */
  writes: number;
}

interface Contribution {
  shard: string;
  sequence: bigint;
  counters: Record<string, number>;
  record: number;
}

interface PendingCell {
  key: AggregateCell;
  contributions: Contribution[];
}

/**
 * Adds a batch of stream records to the aggregates exactly once. Each cell the batch touches is read,
 * given the records of each shard past the cell's mark for that shard, and written back with the marks
 * moved, conditioned on the version read (ports.ts). One write per cell per batch, however many records
 * add to it; a crash between cells leaves the written ones marked, so the retry adds exactly what was
 * missing. Records of a shard must come in sequence order, as a Kinesis event-source mapping with a
 * parallelization factor of 1 delivers them.
 */
export async function aggregateStream(
  store: AggregateStore,
  records: readonly StreamRecord[],
  options: AggregateOptions = {},
): Promise<AggregateResult> {
  const pending = new Map<string, PendingCell>();
  let undecodable = 0;
  records.forEach((stream, index) => {
    if (!stream.record) {
      undecodable++;
      return;
    }
    for (const cell of cellsOf(stream.record)) {
      const key = cellKey(cell);
      const entry = pending.get(key) ?? { key: cell, contributions: [] };
      entry.contributions.push({
        shard: stream.shard,
        sequence: BigInt(stream.sequence),
        counters: cell.counters,
        record: index,
      });
      pending.set(key, entry);
    }
  });
  const cells = [...pending.values()];
  const stored = new Map((await store.load(cells.map((c) => c.key))).map((c) => [cellKey(c), c]));
  const counted = new Set<number>();
  let writes = 0;
  await eachAtMost(options.concurrency ?? 8, cells, async ({ key, contributions }) => {
    let current = stored.get(cellKey(key));
    for (let conflicts = 0; ; conflicts++) {
      const fresh = contributions.filter((c) => {
        const mark = current?.counted[c.shard];
        return mark === undefined || c.sequence > BigInt(mark);
      });
      if (fresh.length === 0) return;
      if (await store.save(withAdded(key, current, fresh), current?.version)) {
        writes++;
        for (const c of fresh) counted.add(c.record);
        return;
      }
      if (conflicts >= (options.maxConflicts ?? 5))
        throw new Error(`the cell ${key.dimension} ${key.period} keeps changing under this writer`);
      [current] = await store.load([key]);
    }
  });
  const decoded = records.length - undecodable;
  return { added: counted.size, alreadyAdded: decoded - counted.size, undecodable, writes };
}

function withAdded(key: AggregateCell, current: StoredCell | undefined, fresh: readonly Contribution[]) {
  const added: Record<string, number> = {};
  const marks = { ...current?.counted };
  for (const c of fresh) {
    for (const [name, n] of Object.entries(c.counters)) added[name] = (added[name] ?? 0) + n;
    const mark = marks[c.shard];
    if (mark === undefined || c.sequence > BigInt(mark)) marks[c.shard] = String(c.sequence);
  }
  const counters = mergeCounters(key.dimension, current?.counters ?? {}, added);
  return { dimension: key.dimension, period: key.period, counters, counted: marks };
}

/** Runs `work` on every item, at most `limit` at a time; after a failure starts no more, and throws it once the rest settle. */
async function eachAtMost<T>(limit: number, items: readonly T[], work: (item: T) => Promise<void>) {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length)
      await work(items[next++]!).catch((error: unknown) => {
        failed = true;
        throw error;
      });
  };
  const outcomes = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, worker));
  const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failure) throw failure.reason;
}

const cellKey = (cell: { dimension: string; period: string }) => `${cell.dimension}\n${cell.period}`;
