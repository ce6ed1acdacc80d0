/** A trace's console page, and the log range its calls are looked up in. */

const TRACE_ID = /^[0-9a-f]{32}$/;
const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;
/** The logs are searched this far either side of a call, for the calls before and after it. */
const AROUND_MS = 3_600_000;

/** The trace id in what someone pastes: the id itself (any case), or a whole `traceparent` value. */
export function traceIdOf(input: string): string | undefined {
  const value = input.trim().toLowerCase();
  if (TRACE_ID.test(value)) return value;
  return TRACEPARENT.exec(value)?.[1];
}

/**
 * The console page of a trace. The platform looks a trace up in the last hour unless told a range: from
 * a logged call, the range is the hours around it.
 */
export function traceHref(traceId: string, at?: string): string {
  const path = `/traces/${traceId}`;
  const time = at ? Date.parse(at) : Number.NaN;
  if (Number.isNaN(time)) return path;
  const search = new URLSearchParams({
    from: new Date(time - AROUND_MS).toISOString(),
    to: new Date(time + AROUND_MS).toISOString(),
  });
  return `${path}?${search}`;
}

/** The range a trace page was given, as the trace endpoint takes it. */
export function traceRangeOf(search: string): { from?: string; to?: string } {
  const params = new URLSearchParams(search);
  const from = params.get('from') ?? undefined;
  const to = params.get('to') ?? undefined;
  return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
}
