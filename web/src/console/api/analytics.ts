import { apiFetch } from '../../api/client.ts';
import { queryString } from './query-string.ts';

export type Grain = 'minute' | 'hour' | 'day';

/** Latency percentiles in milliseconds (within the platform's sketch's 1 %). */
export interface LatencyFigures {
  mean?: number;
  p50: number;
  p95: number;
  p99: number;
}

/** What the calls of a period (or of the whole range) did: `CallFigures` in the platform's OpenAPI. */
export interface CallFigures {
  count: number;
  errors: number;
  byStatus: Record<string, number>;
  byError: Record<string, number>;
  latencyMs?: LatencyFigures;
  bytesIn: number;
  bytesOut: number;
}

export interface CallPoint extends CallFigures {
  /** When the period starts (ISO 8601). */
  period: string;
}

/** `GET /console/v1/analytics/calls`: totals, and one point per period that had traffic, oldest first. */
export interface CallUsageReport {
  kind: 'calls';
  filters: Record<string, string>;
  grain: Grain;
  from: string;
  to: string;
  totals: CallFigures;
  series: CallPoint[];
}

/** The dimensions a usage report may be filtered by (only some combinations are kept: usage-filters.ts). */
export interface UsageFilters {
  api?: string;
  app?: string;
  partner?: string;
}

export interface UsageRange {
  from: string;
  to: string;
}

export const fetchCallUsage = (filters: UsageFilters, range: UsageRange): Promise<CallUsageReport> =>
  apiFetch<CallUsageReport>(`/console/v1/analytics/calls${queryString({ ...filters, ...range })}`);

export type Ranked = 'api' | 'app' | 'partner';

export interface RankingItem {
  api?: string;
  app?: string;
  partner?: string;
  calls: number;
  errors: number;
  /** 0–1. */
  errorRate: number;
}

/** `GET /console/v1/analytics/top`: the busiest APIs, apps or partners of the range. */
export interface Ranking {
  of: Ranked;
  by: 'calls' | 'errors';
  grain: Grain;
  from: string;
  to: string;
  /** How far app figures may be high (bounded summaries); 0 is exact. */
  maxError: number;
  items: RankingItem[];
}

export const fetchRanking = (of: Ranked, range: UsageRange, limit = 5): Promise<Ranking> =>
  apiFetch<Ranking>(`/console/v1/analytics/top${queryString({ of, limit, ...range })}`);
