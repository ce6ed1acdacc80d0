/**
 * How request logs are laid out where they are stored: JSON Lines objects under
 * `requests/YYYY/MM/DD/HH/` (UTC hour of delivery, Firehose's default layout after the prefix), one
 * `RequestLogRecord` per line. The Glue table's columns name the record's fields in lower case (the
 * JSON SerDe matches names without regard to case).
 */
export const REQUEST_LOG_PREFIX = 'requests/';

const message = 'struct<headers:map<string,string>,body:string,truncated:boolean>';

/** The record's fields with their Glue types; each column is the field's name in lower case. */
export const REQUEST_LOG_FIELDS = [
  ['requestId', 'string'],
  ['traceId', 'string'],
  ['spanId', 'string'],
  ['parentSpanId', 'string'],
  ['timestamp', 'string'],
  ['appId', 'string'],
  ['clientId', 'string'],
  ['partnerId', 'string'],
  ['api', 'string'],
  ['route', 'string'],
  ['method', 'string'],
  ['path', 'string'],
  ['query', 'string'],
  ['upstream', 'string'],
  ['mock', 'boolean'],
  ['sandbox', 'boolean'],
  ['status', 'int'],
  ['latencyMs', 'double'],
  ['upstreamLatencyMs', 'double'],
  ['bytesIn', 'bigint'],
  ['bytesOut', 'bigint'],
  ['errorType', 'string'],
  ['sourceIp', 'string'],
  ['request', message],
  ['response', message],
] as const;

export const REQUEST_LOG_COLUMNS = REQUEST_LOG_FIELDS.map(
  ([field, type]) => [field.toLowerCase(), type] as const,
);

/** The hour prefixes (`requests/2026/12/03/20/`) covering [fromMs, toMs], oldest first. */
export function hourPrefixes(fromMs: number, toMs: number): string[] {
  const prefixes: string[] = [];
  const hour = 3_600_000;
  for (let t = Math.floor(fromMs / hour) * hour; t <= toMs; t += hour)
    prefixes.push(`${REQUEST_LOG_PREFIX}${hourPath(t)}/`);
  return prefixes;
}

/** `2026/12/03/20`: the partition value of the hour holding `ms`. */
export function hourPath(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(11, 13)}`;
}
