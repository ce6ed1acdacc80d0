import { cpus } from 'node:os';

/**
 * Small measuring helpers shared by the scripts under bench/. Every measurement is bounded twice: by
 * a number of iterations and by a time cap, whichever comes first, so a slow machine finishes in
 * bounded time and a fast one does not spin for nothing.
 */

/** One operation under test. `i` counts from 0 within a pass; a returned promise is awaited. */
export type Operation = (i: number) => unknown;

export interface Bounds {
  /** Stop after this many operations... */
  maxIterations: number;
  /** ...or once this many milliseconds have passed, whichever comes first. */
  maxMs: number;
}

export interface MeasureOptions {
  warmUp: Bounds;
  /** Applied to the throughput pass and to the latency pass separately. */
  run: Bounds;
}

export const DEFAULT_OPTIONS: MeasureOptions = {
  warmUp: { maxIterations: 1_000, maxMs: 1_000 },
  run: { maxIterations: 20_000, maxMs: 3_000 },
};

export interface Measurement {
  name: string;
  /** Throughput pass: operations run back to back, the clock read once per batch. */
  throughput: { iterations: number; elapsedMs: number; opsPerSec: number };
  /** Latency pass: each operation timed on its own with process.hrtime.bigint(). */
  latency: { iterations: number; medianUs: number; p99Us: number; meanUs: number; maxUs: number };
}

/** How many operations run between two reads of the clock in the throughput pass. */
const BATCH = 32;

const isPromise = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as PromiseLike<unknown> | undefined)?.then === 'function';

const msSince = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;

/** Runs `op` until the bounds are reached, without timing single operations; returns the count. */
async function runBatched(op: Operation, bounds: Bounds): Promise<{ iterations: number; elapsedMs: number }> {
  const start = process.hrtime.bigint();
  let i = 0;
  while (i < bounds.maxIterations) {
    const end = Math.min(i + BATCH, bounds.maxIterations);
    for (; i < end; i++) {
      // Synchronous operations stay synchronous: no microtask per call for them.
      const result = op(i);
      if (isPromise(result)) await result;
    }
    if (msSince(start) >= bounds.maxMs) break;
  }
  return { iterations: i, elapsedMs: msSince(start) };
}

/** Warm-up: lets the JIT compile the hot paths and fills caches; nothing is recorded. */
export async function warmUp(op: Operation, bounds: Bounds): Promise<number> {
  return (await runBatched(op, bounds)).iterations;
}

/** Throughput: operations per second over a batch-timed loop. */
export async function measureThroughput(op: Operation, bounds: Bounds): Promise<Measurement['throughput']> {
  const { iterations, elapsedMs } = await runBatched(op, bounds);
  return { iterations, elapsedMs, opsPerSec: iterations / (elapsedMs / 1000) };
}

/** Latency: every operation timed on its own; percentiles in microseconds. */
export async function measureLatency(op: Operation, bounds: Bounds): Promise<Measurement['latency']> {
  const samples = new Float64Array(bounds.maxIterations);
  const start = process.hrtime.bigint();
  let i = 0;
  while (i < bounds.maxIterations) {
    const before = process.hrtime.bigint();
    const result = op(i);
    if (isPromise(result)) await result;
    const after = process.hrtime.bigint();
    samples[i] = Number(after - before) / 1e3;
    i++;
    if (Number(after - start) / 1e6 >= bounds.maxMs) break;
  }
  const taken = samples.subarray(0, i).sort();
  let sum = 0;
  for (const sample of taken) sum += sample;
  return {
    iterations: i,
    medianUs: percentile(taken, 50),
    p99Us: percentile(taken, 99),
    meanUs: i > 0 ? sum / i : Number.NaN,
    maxUs: i > 0 ? taken[i - 1]! : Number.NaN,
  };
}

/** The p-th percentile (0–100) of ascending samples, by the nearest-rank method. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** Warm-up, then a throughput pass, then a latency pass, each bounded by `options`. */
export async function measure(
  name: string,
  op: Operation,
  options: MeasureOptions = DEFAULT_OPTIONS,
): Promise<Measurement> {
  await warmUp(op, options.warmUp);
  const throughput = await measureThroughput(op, options.run);
  const latency = await measureLatency(op, options.run);
  return { name, throughput, latency };
}

/** The machine the figures come from: they mean little without it. */
export function machineInfo(): { node: string; cpu: string; cores: number; platform: string } {
  const all = cpus();
  return {
    node: process.version,
    cpu: all[0]?.model.trim() ?? 'unknown',
    cores: all.length,
    platform: `${process.platform}-${process.arch}`,
  };
}

/** A number with a thousands separator and a fixed number of decimals. */
export const formatNumber = (value: number, decimals = 0): string =>
  Number.isFinite(value)
    ? value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals })
    : String(value);

/** Rounds for the JSON line: figures, not noise. */
export const round = (value: number, decimals = 2): number => {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
};

export type Align = 'left' | 'right';

/** A plain-text table; numeric columns are usually right-aligned. */
export function formatTable(headers: string[], rows: string[][], align: Align[] = []): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const pad = (cell: string, column: number) =>
    align[column] === 'right' ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!);
  const line = (cells: string[]) => `| ${cells.map((cell, column) => pad(cell, column)).join(' | ')} |`;
  const rule = `|${widths.map((width, column) => (align[column] === 'right' ? `${'-'.repeat(width + 1)}:` : '-'.repeat(width + 2))).join('|')}|`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}
