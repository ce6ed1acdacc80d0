import { type AggregateCell, mergeCounters } from '../aggregate-cells.ts';

/** Folds cells with the same dimension and period into one, merging their counters: what a store should hold. */
export function sumCells(cells: Iterable<AggregateCell>): AggregateCell[] {
  const sums = new Map<string, AggregateCell>();
  for (const cell of cells) {
    const key = `${cell.dimension}\n${cell.period}`;
    const sum = sums.get(key) ?? { dimension: cell.dimension, period: cell.period, counters: {} };
    sum.counters = mergeCounters(cell.dimension, sum.counters, cell.counters);
    sums.set(key, sum);
  }
  return [...sums.values()];
}
