import type { AggregateCell, Grain } from '../aggregate-cells.ts';
import { periodOf } from '../aggregate-cells.ts';
import type { AggregateStore, CellKey, StoredCell } from '../ports.ts';

const keyOf = (cell: CellKey) => `${cell.dimension}\n${cell.period}`;
const copy = (cell: StoredCell): StoredCell => ({
  ...cell,
  counters: { ...cell.counters },
  counted: { ...cell.counted },
});

/** An `AggregateStore` in memory, for unit tests and the in-process platform. */
export class MemoryAggregateStore implements AggregateStore {
  readonly cells = new Map<string, StoredCell>();
  /** When set, the next `save` fails with it, writing nothing. */
  failNext: Error | undefined;

  async load(keys: readonly CellKey[]): Promise<StoredCell[]> {
    return keys.flatMap((key) => {
      const cell = this.cells.get(keyOf(key));
      return cell ? [copy(cell)] : [];
    });
  }

  async save(cell: AggregateCell & Pick<StoredCell, 'counted'>, read: number | undefined): Promise<boolean> {
    if (this.failNext) {
      const error = this.failNext;
      this.failNext = undefined;
      throw error;
    }
    if (this.cells.get(keyOf(cell))?.version !== read) return false;
    this.cells.set(keyOf(cell), copy({ ...cell, version: (read ?? 0) + 1 }));
    return true;
  }

  async read(dimension: string, grain: Grain, from: string, to: string): Promise<AggregateCell[]> {
    const [first, last] = [periodOf(grain, from), periodOf(grain, to)];
    return [...this.cells.values()]
      .filter((c) => c.dimension === dimension && c.period >= first && c.period <= last)
      .sort((a, b) => (a.period < b.period ? -1 : 1))
      .map((c) => ({ dimension: c.dimension, period: c.period, counters: { ...c.counters } }));
  }
}
