import { DomainError } from '../kernel/errors.ts';
import type { LogQuery } from './ports.ts';
import type { RequestLogRecord } from './request-log.ts';
import { isoTimeParam } from './usage-report.ts';

/** The query parameters of a request-log search. */
export const LOG_QUERY_PARAMS = [
  'from',
  'to',
  'app',
  'api',
  'status',
  'requestId',
  'traceId',
  'limit',
] as const;

const HOUR_MS = 3_600_000;
/** The longest range one search reads: every hour of it is a partition to scan. */
export const MAX_LOG_RANGE_MS = 7 * 24 * HOUR_MS;
export const MAX_LOG_RESULTS = 200;
const ID = /^[A-Za-z0-9._:-]{1,128}$/;
const TRACE_ID = /^[0-9a-f]{32}$/;

/**
 * A search from its parameters: a range of at most 7 days (default the last hour), ids of a safe shape,
 * a status between 100 and 599, at most 200 results (default 50). Anything else is a 400.
 */
export function logQueryOf(params: ReadonlyMap<string, string>, now: number): LogQuery {
  const to = isoTimeParam('to', params.get('to'), now);
  const from = isoTimeParam('from', params.get('from'), to - HOUR_MS);
  if (from > to) throw new DomainError('bad-request', 'from must not be after to.');
  if (to - from > MAX_LOG_RANGE_MS)
    throw new DomainError('bad-request', 'A search covers at most 7 days; narrow from and to.');
  const query: LogQuery = {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    limit: integerParam(params, 'limit', 1, MAX_LOG_RESULTS) ?? 50,
  };
  for (const name of ['app', 'api', 'requestId'] as const) {
    const value = params.get(name);
    if (value === undefined) continue;
    if (!ID.test(value)) throw new DomainError('bad-request', `${name} is not a valid id.`);
    query[name] = value;
  }
  const traceId = params.get('traceId');
  if (traceId !== undefined) {
    if (!TRACE_ID.test(traceId))
      throw new DomainError('bad-request', 'traceId must be 32 lower-case hex digits.');
    query.traceId = traceId;
  }
  const status = integerParam(params, 'status', 100, 599);
  if (status !== undefined) query.status = status;
  return query;
}

function integerParam(params: ReadonlyMap<string, string>, name: string, min: number, max: number) {
  const value = params.get(name);
  if (value === undefined) return undefined;
  if (!/^\d{1,6}$/.test(value) || Number(value) < min || Number(value) > max)
    throw new DomainError('bad-request', `${name} must be a whole number from ${min} to ${max}.`);
  return Number(value);
}

/** Whether a stored record answers the search (its own time within the range, every filter equal). */
export function matchesLogQuery(record: RequestLogRecord, query: LogQuery): boolean {
  const at = Date.parse(record.timestamp);
  return (
    at >= Date.parse(query.from) &&
    at <= Date.parse(query.to) &&
    (query.app === undefined || record.appId === query.app) &&
    (query.api === undefined || record.api === query.api) &&
    (query.status === undefined || record.status === query.status) &&
    (query.requestId === undefined || record.requestId === query.requestId) &&
    (query.traceId === undefined || record.traceId === query.traceId)
  );
}

/**
 * Objects are filed by the hour they were delivered in, which may be later than a call's own time by
 * the recorder's and the delivery stream's buffering: a search reads this much past its range's end.
 */
export const DELIVERY_LAG_MS = 15 * 60_000;

/** Newest first, at most `limit`. */
export function newestFirst(records: RequestLogRecord[], limit: number): RequestLogRecord[] {
  return records
    .sort((a, b) => (a.timestamp < b.timestamp ? 1 : a.timestamp > b.timestamp ? -1 : 0))
    .slice(0, limit);
}
