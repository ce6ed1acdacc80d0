import { type AggregateCell, CellSum, cellsOf } from './aggregate-cells.ts';
import type { AnalyticsRecord } from './call-record.ts';
import type { AggregateStore } from './ports.ts';

/** One record as the stream hands it over; `record` is undefined when it could not be decoded. */
export interface StreamRecord {
  /** The stream and shard it came from (a checkpoint is kept per shard). */
  shard: string;
  sequence: string;
  record: AnalyticsRecord | undefined;
}

export interface AggregateOptions {
  /**
   * Cells per all-or-nothing write (DynamoDB takes 100 items in a transaction, one is the checkpoint).
   * Default 10: small transactions conflict less with other shards' writes to the same hot cells, cost
   * the same write units, and do not hold the local emulator for seconds (99 cells of 40 counters
   * took it 2.7 s, during which every other call waited).
   */
  maxCellsPerWrite?: number;
  /** Counters per cell in one write: each is a term of the cell's update expression (4 KB at most). */
  maxCountersPerCell?: number;
  /** Times a write may find its checkpoint moved (another reader of the shard) before giving up. */
  maxConflicts?: number;
}

export interface AggregateResult {
  /** Records whose cells were added now. */
  added: number;
  /** Records at or before their shard's checkpoint: added before, so not again. */
  alreadyAdded: number;
  /** Undecodable records, passed over (the checkpoint moves past them). */
  undecodable: number;
  writes: number;
}

/**
 * Adds a batch of stream records to the aggregates exactly once. Records of a shard come in sequence
 * order (one reader per shard, as a Kinesis event-source mapping with a parallelization factor of 1
 * has); those at or before the shard's checkpoint were added already and are skipped; the rest go in
 * chunks of at most `maxCellsPerWrite` cells of at most `maxCountersPerCell` counters, each chunk added together with the checkpoint's move to
 * its last record. A crash between chunks leaves the checkpoint at the last chunk written, so the retry
 * adds exactly what was missing.
 */
export async function aggregateStream(
  store: AggregateStore,
  records: readonly StreamRecord[],
  options: AggregateOptions = {},
): Promise<AggregateResult> {
  const limits = { maxCells: options.maxCellsPerWrite ?? 10, maxCounters: options.maxCountersPerCell ?? 40 };
  const result: AggregateResult = { added: 0, alreadyAdded: 0, undecodable: 0, writes: 0 };
  const byShard = new Map<string, StreamRecord[]>();
  for (const record of records) {
    const list = byShard.get(record.shard) ?? [];
    list.push(record);
    byShard.set(record.shard, list);
  }
  for (const [shard, list] of byShard) {
    let conflicts = 0;
    for (;;) {
      const checkpoint = await store.checkpoint(shard);
      const fresh = list.filter((r) => checkpoint === undefined || BigInt(r.sequence) > BigInt(checkpoint));
      const outcome = await addInChunks(store, shard, checkpoint, fresh, limits);
      result.writes += outcome.writes;
      result.added += outcome.added;
      result.undecodable += outcome.undecodable;
      if (outcome.done) {
        result.alreadyAdded += list.length - fresh.length;
        break;
      }
      if (++conflicts > (options.maxConflicts ?? 3))
        throw new Error(`the checkpoint of ${shard} keeps moving under this reader`);
      // Someone else moved the checkpoint: what they added is skipped on the next pass.
      list.splice(0, list.length, ...fresh);
    }
  }
  return result;
}

async function addInChunks(
  store: AggregateStore,
  shard: string,
  checkpoint: string | undefined,
  records: readonly StreamRecord[],
  limits: { maxCells: number; maxCounters: number },
): Promise<{ done: boolean; added: number; undecodable: number; writes: number }> {
  let after = checkpoint;
  let sum = new CellSum();
  let chunk: StreamRecord[] = [];
  const done = { added: 0, undecodable: 0, writes: 0 };
  const write = async (): Promise<boolean> => {
    const through = chunk.at(-1)!.sequence;
    if (!(await store.apply(shard, after, through, sum.toArray()))) return false;
    done.writes++;
    for (const r of chunk) r.record ? done.added++ : done.undecodable++;
    after = through;
    sum = new CellSum();
    chunk = [];
    return true;
  };
  for (const record of records) {
    const cells: AggregateCell[] = record.record ? cellsOf(record.record) : [];
    if (chunk.length > 0 && !sum.fits(cells, limits) && !(await write())) return { done: false, ...done };
    sum.add(cells);
    chunk.push(record);
  }
  if (chunk.length > 0 && !(await write())) return { done: false, ...done };
  return { done: true, ...done };
}
