import type { AnalyticsRecord, CallRecord } from './call-record.ts';
import type { DeliveryRecord } from './delivery-record.ts';
import { bucketKey } from './latency-sketch.ts';
import { mergeTopApps } from './top-apps.ts';

/** The time grains every figure is kept at, finest first. */
export const GRAINS = ['minute', 'hour', 'day'] as const;
export type Grain = (typeof GRAINS)[number];

/** How long each grain is kept (a TTL on its items). */
export const RETENTION_DAYS: Record<Grain, number> = { minute: 35, hour: 400, day: 1_830 };

const PERIOD_PREFIX: Record<Grain, string> = { minute: 'MIN#', hour: 'HOUR#', day: 'DAY#' };
const PERIOD_LENGTH: Record<Grain, number> = { minute: 16, hour: 13, day: 10 };

/** A grain's period holding an ISO time: `MIN#2026-12-03T20:31`, `HOUR#2026-12-03T20`, `DAY#2026-12-03`. */
export function periodOf(grain: Grain, isoTime: string): string {
  return `${PERIOD_PREFIX[grain]}${isoTime.slice(0, PERIOD_LENGTH[grain])}`;
}

/** The grain a period is of, and when it starts (epoch ms). */
export function parsePeriod(period: string): { grain: Grain; startMs: number } {
  const grain = GRAINS.find((g) => period.startsWith(PERIOD_PREFIX[g]));
  if (!grain) throw new Error(`not a period: ${period}`);
  const time = period.slice(PERIOD_PREFIX[grain].length);
  const iso = { minute: `${time}:00Z`, hour: `${time}:00:00Z`, day: `${time}T00:00:00Z` }[grain];
  return { grain, startMs: Date.parse(iso) };
}

/**
 * One item of the aggregates: what the calls (or delivery attempts) of one dimension did in one period,
 * as counters that only ever grow. Counter names:
 * - calls: `count`, `errors`, `status:<n>xx`, `error:<type>`, `bytesIn`, `bytesOut`, `latencySumMs`,
 *   `latency:<bucket>` (latency-sketch.ts);
 * - delivery attempts: `count`, `outcome:<sent|retry|failed>`, `status:<n>xx`, `error:<class>`,
 *   `latencySumMs`, `latency:<bucket>`, `delivered:<bucket>` (publish → delivered, for `sent`).
 */
export interface AggregateCell {
  dimension: string;
  period: string;
  counters: Record<string, number>;
}

/**
 * The dimensions a call counts in: everything, and by API, app, route, partner and app × API. A value
 * never holds `#`, which separates a dimension's parts (API names and ids are slugs; routes are
 * `METHOD /path/{param}`).
 */
export function callDimensions(record: CallRecord): string[] {
  const dimensions = ['calls', `calls#api=${record.api}`];
  if (record.route) dimensions.push(`calls#api=${record.api}#route=${record.route}`);
  if (record.appId)
    dimensions.push(`calls#app=${record.appId}`, `calls#app=${record.appId}#api=${record.api}`);
  if (record.partnerId) dimensions.push(`calls#partner=${record.partnerId}`);
  return dimensions;
}

/** The dimensions a delivery attempt counts in: everything, and by topic, subscription and app. */
export function deliveryDimensions(record: DeliveryRecord): string[] {
  return [
    'deliveries',
    `deliveries#topic=${record.topic}`,
    `deliveries#subscription=${record.subscriptionId}`,
    `deliveries#app=${record.appId}`,
  ];
}

const statusClass = (status: number) => `status:${Math.floor(status / 100)}xx`;

function callCounters(record: CallRecord): Record<string, number> {
  const counters: Record<string, number> = {
    count: 1,
    [statusClass(record.status)]: 1,
    bytesIn: record.bytesIn,
    bytesOut: record.bytesOut,
    latencySumMs: record.latencyMs,
    [`latency:${bucketKey(record.latencyMs)}`]: 1,
  };
  if (record.status >= 500 || record.errorType) {
    counters.errors = 1;
    counters[`error:${record.errorType ?? `http-${record.status}`}`] = 1;
  }
  return counters;
}

function deliveryCounters(record: DeliveryRecord): Record<string, number> {
  const counters: Record<string, number> = {
    count: 1,
    [`outcome:${record.outcome}`]: 1,
    latencySumMs: record.latencyMs,
    [`latency:${bucketKey(record.latencyMs)}`]: 1,
  };
  if (record.status !== undefined) counters[statusClass(record.status)] = 1;
  if (record.errorClass) counters[`error:${record.errorClass}`] = 1;
  if (record.outcome === 'sent' && record.publishedAt) {
    const afterMs = Date.parse(record.timestamp) - Date.parse(record.publishedAt);
    if (afterMs >= 0) counters[`delivered:${bucketKey(afterMs)}`] = 1;
  }
  return counters;
}

/** What a top-N ranking can order by, kept per value of `api`, `partner` or `app`. */
export const RANKED = ['api', 'partner', 'app'] as const;
export type Ranked = (typeof RANKED)[number];

/** The ranking cell of apps, a bounded summary (top-apps.ts) rather than a counter per app. */
export const TOP_APPS_DIMENSION = 'calls#top=app';

/**
 * The ranking cells a call adds to: `calls#top=api` and `calls#top=partner` hold, per period, a
 * `count:<value>` and `errors:<value>` counter for every API (partner) called in it, so a top-N over any
 * range reads one cell per period. `calls#top=app` holds the same for the apps that call most, bounded
 * (`mergeTopApps`): with 100k apps a cell of every app would pass DynamoDB's item size.
 */
function rankingCells(record: CallRecord): [string, Record<string, number>][] {
  const failed = record.status >= 500 || record.errorType ? 1 : 0;
  const cell = (value: string): Record<string, number> => ({
    [`count:${value}`]: 1,
    [`errors:${value}`]: failed,
  });
  return [
    ['calls#top=api', cell(record.api)],
    ...(record.partnerId
      ? [['calls#top=partner', cell(record.partnerId)] as [string, Record<string, number>]]
      : []),
    ...(record.appId ? [[TOP_APPS_DIMENSION, cell(record.appId)] as [string, Record<string, number>]] : []),
  ];
}

/** A cell's counters with a batch's added: summed, except the bounded app ranking (`mergeTopApps`). */
export function mergeCounters(
  dimension: string,
  current: Readonly<Record<string, number>>,
  added: Readonly<Record<string, number>>,
): Record<string, number> {
  if (dimension === TOP_APPS_DIMENSION) return mergeTopApps(current, added);
  const counters = { ...current };
  for (const [name, n] of Object.entries(added)) counters[name] = (counters[name] ?? 0) + n;
  return counters;
}

/** What one record adds: its counters in each of its dimensions, at every grain. */
export function cellsOf(record: AnalyticsRecord): AggregateCell[] {
  const entries: [string, Record<string, number>][] =
    record.kind === 'call'
      ? [
          ...callDimensions(record).map((d): [string, Record<string, number>] => [d, callCounters(record)]),
          ...rankingCells(record),
        ]
      : deliveryDimensions(record).map((d): [string, Record<string, number>] => [
          d,
          deliveryCounters(record),
        ]);
  const at = new Date(record.timestamp).toISOString();
  return GRAINS.flatMap((grain) =>
    entries.map(([dimension, counters]) => ({ dimension, period: periodOf(grain, at), counters })),
  );
}
