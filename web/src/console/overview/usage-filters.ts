import type { UsageFilters, UsageRange } from '../api/analytics.ts';

/** The ranges the overview offers; the platform picks minutes up to 6 hours, hours beyond. */
export const RANGE_CHOICES = [
  { value: '1h', label: 'Last hour', ms: 3_600_000 },
  { value: '6h', label: 'Last 6 hours', ms: 6 * 3_600_000 },
  { value: '24h', label: 'Last 24 hours', ms: 24 * 3_600_000 },
] as const;

export type RangeChoice = (typeof RANGE_CHOICES)[number]['value'];

export function rangeOf(choice: RangeChoice, now: number): UsageRange {
  const span = RANGE_CHOICES.find((c) => c.value === choice)?.ms ?? RANGE_CHOICES[0].ms;
  return { from: new Date(now - span).toISOString(), to: new Date(now).toISOString() };
}

export const rangeLabel = (choice: RangeChoice): string =>
  (RANGE_CHOICES.find((c) => c.value === choice) ?? RANGE_CHOICES[0]).label.toLowerCase();

/** The filters with blank values left out and the others trimmed. */
export function cleanFilters(filters: UsageFilters): UsageFilters {
  const clean: UsageFilters = {};
  for (const name of ['api', 'app', 'partner'] as const) {
    const value = filters[name]?.trim();
    if (value) clean[name] = value;
  }
  return clean;
}

/**
 * Why the platform would refuse these filters, or undefined: it keeps figures for all calls, per API,
 * per app, per app and API, and per partner, not for a partner with anything else.
 */
export function filterProblem(filters: UsageFilters): string | undefined {
  const clean = cleanFilters(filters);
  if (clean.partner && (clean.api || clean.app))
    return 'A partner’s figures cannot be narrowed to an API or an app: choose the partner alone.';
  return undefined;
}

/** The filters in words, for chart titles and their text alternatives: "API echo and app app_1". */
export function describeFilters(filters: UsageFilters): string {
  const clean = cleanFilters(filters);
  const parts = [
    clean.api ? `API ${clean.api}` : undefined,
    clean.app ? `app ${clean.app}` : undefined,
    clean.partner ? `partner ${clean.partner}` : undefined,
  ].filter((part) => part !== undefined);
  return parts.length ? parts.join(' and ') : 'all APIs';
}

/** A stable key of a query, to load again when it changes. */
export const usageKey = (filters: UsageFilters, choice: RangeChoice): string =>
  JSON.stringify([cleanFilters(filters), choice]);
