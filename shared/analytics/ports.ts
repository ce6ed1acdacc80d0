import type { AggregateCell, Grain } from './aggregate-cells.ts';

/**
 * Where aggregates are kept, exactly once per stream record: every write adds a chunk's cells and
 * moves its shard's checkpoint past the chunk's last record in one all-or-nothing step, so a chunk
 * read again (a retry, a bisected batch, a replayed range) is recognised by its sequence numbers and
 * added nothing a second time.
 */
export interface AggregateStore {
  /** The sequence number of the last record of `shard` whose cells were added, if any was. */
  checkpoint(shard: string): Promise<string | undefined>;
  /**
   * Adds `cells` and moves the shard's checkpoint from `after` (undefined: none yet) to `through`, all
   * or nothing. False, with nothing added, when the checkpoint is no longer `after`.
   */
  apply(
    shard: string,
    after: string | undefined,
    through: string,
    cells: readonly AggregateCell[],
  ): Promise<boolean>;
  /** The cells of one dimension at one grain whose periods start within [from, to] (ISO times). */
  read(dimension: string, grain: Grain, from: string, to: string): Promise<AggregateCell[]>;
}
