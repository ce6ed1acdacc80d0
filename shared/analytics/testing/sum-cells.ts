import type { AggregateCell } from '../aggregate-cells.ts';

/** Folds cells with the same dimension and period into one, adding their counters: what a store should hold. */
export function sumCells(cells: Iterable<AggregateCell>): AggregateCell[] {
  const sums = new Map<string, AggregateCell>();
  for (const cell of cells) {
    const key = `${cell.dimension}\n${cell.period}`;
    const sum = sums.get(key) ?? { dimension: cell.dimension, period: cell.period, counters: {} };
    for (const [name, n] of Object.entries(cell.counters)) sum.counters[name] = (sum.counters[name] ?? 0) + n;
    sums.set(key, sum);
  }
  return [...sums.values()];
}
