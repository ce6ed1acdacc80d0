import { appFetch } from './app-session.ts';

export type Grain = 'minute' | 'hour' | 'day';

/** The figures of a range or of one period (shared/analytics/usage-report.ts). */
export interface CallFigures {
  count: number;
  errors: number;
  byStatus: Record<string, number>;
  latencyMs?: { mean?: number; p50: number; p95: number; p99: number };
}

/** `GET /v1/analytics/calls`: the app's calls, one point per period that had any. */
export interface CallUsage {
  grain: Grain;
  from: string;
  to: string;
  totals: CallFigures;
  series: (CallFigures & { period: string })[];
}

export function fetchCallUsage(appId: string, from: Date, to: Date): Promise<CallUsage> {
  const query = new URLSearchParams({ from: from.toISOString(), to: to.toISOString() });
  return appFetch<CallUsage>(appId, `/v1/analytics/calls?${query}`);
}
