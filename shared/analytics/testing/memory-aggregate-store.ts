import type { AggregateCell, Grain } from '../aggregate-cells.ts';
import { periodOf } from '../aggregate-cells.ts';
import type { AggregateStore } from '../ports.ts';

/** An `AggregateStore` in memory, for unit tests and the in-process platform. */
export class MemoryAggregateStore implements AggregateStore {
  readonly cells = new Map<string, AggregateCell>();
  readonly checkpoints = new Map<string, string>();
  /** When set, `apply` fails with it (once), adding nothing. */
  failNext: Error | undefined;

  async checkpoint(shard: string): Promise<string | undefined> {
    return this.checkpoints.get(shard);
  }

  async apply(
    shard: string,
    after: string | undefined,
    through: string,
    cells: readonly AggregateCell[],
  ): Promise<boolean> {
    if (this.failNext) {
      const error = this.failNext;
      this.failNext = undefined;
      throw error;
    }
    if (this.checkpoints.get(shard) !== after) return false;
    for (const cell of cells) {
      const key = `${cell.dimension}\n${cell.period}`;
      const stored = this.cells.get(key) ?? { dimension: cell.dimension, period: cell.period, counters: {} };
      for (const [name, n] of Object.entries(cell.counters))
        stored.counters[name] = (stored.counters[name] ?? 0) + n;
      this.cells.set(key, stored);
    }
    this.checkpoints.set(shard, through);
    return true;
  }

  async read(dimension: string, grain: Grain, from: string, to: string): Promise<AggregateCell[]> {
    const [first, last] = [periodOf(grain, from), periodOf(grain, to)];
    return [...this.cells.values()]
      .filter((c) => c.dimension === dimension && c.period >= first && c.period <= last)
      .sort((a, b) => (a.period < b.period ? -1 : 1))
      .map((c) => ({ ...c, counters: { ...c.counters } }));
  }
}
