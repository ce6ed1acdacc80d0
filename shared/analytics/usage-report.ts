import { DomainError } from '../kernel/errors.ts';
import { type AggregateCell, type Grain, parsePeriod } from './aggregate-cells.ts';
import { type BucketCounts, percentile } from './latency-sketch.ts';

/** What a usage query may filter on, per kind of traffic. */
export const CALL_FILTERS = ['api', 'route', 'app', 'partner'] as const;
export const DELIVERY_FILTERS = ['topic', 'subscription', 'app'] as const;
export const RANGE_PARAMS = ['from', 'to', 'grain'] as const;

export type UsageKind = 'calls' | 'deliveries';
export type UsageFilters = Partial<
  Record<(typeof CALL_FILTERS)[number] | (typeof DELIVERY_FILTERS)[number], string>
>;

/** The filter combinations kept as dimensions (aggregate-cells.ts), each as the dimension it reads. */
const DIMENSIONS: Record<UsageKind, { filters: string[]; dimension: (f: UsageFilters) => string }[]> = {
  calls: [
    { filters: [], dimension: () => 'calls' },
    { filters: ['api'], dimension: (f) => `calls#api=${f.api}` },
    { filters: ['api', 'route'], dimension: (f) => `calls#api=${f.api}#route=${f.route}` },
    { filters: ['app'], dimension: (f) => `calls#app=${f.app}` },
    { filters: ['api', 'app'], dimension: (f) => `calls#app=${f.app}#api=${f.api}` },
    { filters: ['partner'], dimension: (f) => `calls#partner=${f.partner}` },
  ],
  deliveries: [
    { filters: [], dimension: () => 'deliveries' },
    { filters: ['topic'], dimension: (f) => `deliveries#topic=${f.topic}` },
    { filters: ['subscription'], dimension: (f) => `deliveries#subscription=${f.subscription}` },
    { filters: ['app'], dimension: (f) => `deliveries#app=${f.app}` },
  ],
};

/** The dimension that answers these filters, or a 400 naming the combinations there are. */
export function dimensionOf(kind: UsageKind, filters: UsageFilters): string {
  const given = Object.keys(filters)
    .filter((k) => filters[k as keyof UsageFilters] !== undefined)
    .sort();
  for (const [name, value] of Object.entries(filters)) {
    if (value !== undefined && (value === '' || value.length > 256 || value.includes('#')))
      throw new DomainError('bad-request', `${name} must be 1–256 characters without "#".`);
  }
  const match = DIMENSIONS[kind].find((d) => d.filters.join() === given.join());
  if (!match) {
    const combos = DIMENSIONS[kind].map((d) => (d.filters.length ? d.filters.join(' + ') : 'none'));
    throw new DomainError('bad-request', `${kind} can be filtered by ${combos.join('; ')}.`);
  }
  return match.dimension(filters);
}

/** Periods a report may have; beyond, a coarser grain is needed. */
export const MAX_PERIODS = 1_500;
const GRAIN_MS: Record<Grain, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

export interface UsageRange {
  grain: Grain;
  from: string;
  to: string;
}

/** A time parameter (ISO 8601) in epoch ms, `fallback` when absent; 400 when malformed. */
export function isoTimeParam(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const ms = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(value) || Number.isNaN(ms))
    throw new DomainError('bad-request', `${name} must be an ISO 8601 time, e.g. 2030-01-01T10:00:00Z.`);
  return ms;
}

/**
 * The range of a query: `from` and `to` ISO times (default: the last hour), `from` ≤ `to`, and a grain
 * (default: minutes up to 6 hours, hours up to 14 days, days beyond) giving at most MAX_PERIODS periods.
 */
export function usageRange(params: { from?: string; to?: string; grain?: string }, now: number): UsageRange {
  const to = isoTimeParam('to', params.to, now);
  const from = isoTimeParam('from', params.from, to - GRAIN_MS.hour);
  if (from > to) throw new DomainError('bad-request', 'from must not be after to.');
  const span = to - from;
  if (params.grain !== undefined && !(params.grain in GRAIN_MS))
    throw new DomainError('bad-request', 'grain must be minute, hour or day.');
  const grain =
    (params.grain as Grain | undefined) ??
    (span <= 6 * GRAIN_MS.hour ? 'minute' : span <= 14 * GRAIN_MS.day ? 'hour' : 'day');
  if (span / GRAIN_MS[grain] + 1 > MAX_PERIODS)
    throw new DomainError('bad-request', `At most ${MAX_PERIODS} ${grain}s at once; choose a coarser grain.`);
  return { grain, from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

const latencyFigures = (buckets: BucketCounts, sum?: number, count?: number) => {
  const total = Object.values(buckets).reduce((a, b) => a + b, 0);
  if (total === 0) return undefined;
  return {
    ...(sum !== undefined && count ? { mean: round(sum / count) } : {}),
    p50: round(percentile(buckets, 0.5)!),
    p95: round(percentile(buckets, 0.95)!),
    p99: round(percentile(buckets, 0.99)!),
  };
};
const round = (n: number) => Math.round(n * 1000) / 1000;

/** The counters of `cells` summed, with the prefixed ones (`status:2xx`…) gathered into maps. */
function summarise(kind: UsageKind, counters: Record<string, number>) {
  const group = (prefix: string) => {
    const found: Record<string, number> = {};
    for (const [name, n] of Object.entries(counters))
      if (name.startsWith(prefix)) found[name.slice(prefix.length)] = n;
    return found;
  };
  const count = counters.count ?? 0;
  const latency = latencyFigures(group('latency:'), counters.latencySumMs, count);
  const common = {
    count,
    byStatus: group('status:'),
    byError: group('error:'),
    ...(latency ? { latencyMs: latency } : {}),
  };
  if (kind === 'calls') {
    return {
      ...common,
      errors: counters.errors ?? 0,
      bytesIn: counters.bytesIn ?? 0,
      bytesOut: counters.bytesOut ?? 0,
    };
  }
  const delivered = latencyFigures(group('delivered:'));
  return {
    ...common,
    byOutcome: group('outcome:'),
    ...(delivered ? { publishToDeliveredMs: delivered } : {}),
  };
}

const add = (into: Record<string, number>, from: Record<string, number>) => {
  for (const [name, n] of Object.entries(from)) into[name] = (into[name] ?? 0) + n;
  return into;
};

/**
 * A usage report: the totals over the range and one point per period that had traffic, every figure
 * exact (percentiles within the sketch's 1 %). The range covers whole periods of its grain.
 */
export function usageReport(
  kind: UsageKind,
  filters: UsageFilters,
  range: UsageRange,
  cells: readonly AggregateCell[],
) {
  const totals = cells.reduce<Record<string, number>>((sum, cell) => add(sum, cell.counters), {});
  return {
    kind,
    filters,
    grain: range.grain,
    from: range.from,
    to: range.to,
    totals: summarise(kind, totals),
    series: cells.map((cell) => ({
      period: new Date(parsePeriod(cell.period).startMs).toISOString(),
      ...summarise(kind, cell.counters),
    })),
  };
}
