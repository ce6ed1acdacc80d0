import { DomainError } from '../kernel/errors.ts';
import { type AggregateCell, RANKED, type Ranked } from './aggregate-cells.ts';
import type { UsageRange } from './usage-report.ts';

export const RANKING_PARAMS = ['of', 'by', 'limit'] as const;
const ORDERS = ['calls', 'errors'] as const;
export const MAX_RANKED = 100;

export interface RankingQuery {
  of: Ranked;
  by: (typeof ORDERS)[number];
  limit: number;
}

/** `of` (api, partner or app), `by` (calls or errors, default calls), `limit` (1–100, default 10); else 400. */
export function rankingQueryOf(params: ReadonlyMap<string, string>): RankingQuery {
  const of = params.get('of');
  if (!RANKED.includes(of as Ranked))
    throw new DomainError('bad-request', `of must be ${RANKED.join(' or ')}.`);
  const by = params.get('by') ?? 'calls';
  if (!ORDERS.includes(by as RankingQuery['by']))
    throw new DomainError('bad-request', 'by must be calls or errors.');
  const limit = params.get('limit') ?? '10';
  if (!/^\d{1,3}$/.test(limit) || Number(limit) < 1 || Number(limit) > MAX_RANKED)
    throw new DomainError('bad-request', `limit must be a whole number from 1 to ${MAX_RANKED}.`);
  return { of: of as Ranked, by: by as RankingQuery['by'], limit: Number(limit) };
}

/** The dimension holding the ranking of `of` (aggregate-cells.ts). */
export const rankingDimension = (of: Ranked): string => `calls#top=${of}`;

/**
 * The top APIs (partners, apps) over the range's cells, by calls or by failed calls, ties by name;
 * each with its calls, errors and error rate. Apps come from bounded summaries (top-apps.ts): their
 * figures may be high by up to `maxError` (the sum of the cells' floors for the order asked), and an
 * app left out has at most that many; 0 means exact, as it always is for APIs and partners.
 */
export function ranking(query: RankingQuery, range: UsageRange, cells: readonly AggregateCell[]) {
  const key = query.by === 'calls' ? 'calls' : 'errors';
  const totals = new Map<string, { calls: number; errors: number }>();
  let maxError = 0;
  for (const cell of cells)
    for (const [name, n] of Object.entries(cell.counters)) {
      const [kind, value] = [name.slice(0, name.indexOf(':')), name.slice(name.indexOf(':') + 1)];
      if (kind === 'floor') {
        if (value === (key === 'calls' ? 'count' : 'errors')) maxError += n;
        continue;
      }
      const entry = totals.get(value) ?? { calls: 0, errors: 0 };
      if (kind === 'count') entry.calls += n;
      else if (kind === 'errors') entry.errors += n;
      totals.set(value, entry);
    }
  const items = [...totals]
    .map(([value, t]) => ({
      [query.of]: value,
      calls: t.calls,
      errors: t.errors,
      errorRate: t.calls ? Math.min(1, Math.round((t.errors / t.calls) * 10_000) / 10_000) : 0,
    }))
    .filter((item) => (item[key] as number) > 0)
    .sort(
      (a, b) =>
        (b[key] as number) - (a[key] as number) || String(a[query.of]).localeCompare(String(b[query.of])),
    )
    .slice(0, query.limit);
  return { of: query.of, by: query.by, grain: range.grain, from: range.from, to: range.to, maxError, items };
}
