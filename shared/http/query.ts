import { ProblemError } from './problem.ts';

/** Parses a raw query string, reporting parameters sent more than once (OAuth forbids them). */
export function readQuery(rawQueryString: string | undefined): {
  params: Map<string, string>;
  duplicates: string[];
} {
  const params = new Map<string, string>();
  const duplicates: string[] = [];
  for (const [key, value] of new URLSearchParams(rawQueryString ?? '')) {
    if (params.has(key)) duplicates.push(key);
    params.set(key, value);
  }
  return { params, duplicates };
}

/**
 * The query of an API route that takes only `allowed` parameters, each at most once: anything else is
 * a 400, so a misspelt or repeated parameter is never silently ignored.
 */
export function queryParams(
  rawQueryString: string | undefined,
  allowed: readonly string[],
): Map<string, string> {
  const { params, duplicates } = readQuery(rawQueryString);
  if (duplicates.length > 0)
    throw new ProblemError(
      'bad-request',
      `Repeated query parameter: ${[...new Set(duplicates)].join(', ')}.`,
    );
  const unknown = [...params.keys()].filter((k) => !allowed.includes(k));
  if (unknown.length > 0) {
    const accepted = allowed.length ? `accepted: ${allowed.join(', ')}` : 'this route takes none';
    throw new ProblemError(
      'bad-request',
      `Unknown query parameter: ${unknown.join(', ').slice(0, 200)} (${accepted}).`,
    );
  }
  return params;
}

export const PAGE_PARAMS = ['limit', 'cursor'] as const;

/** `limit` (1–100, default 25) and an opaque `cursor`, validated the same way on every paged route. */
export function pageParams(params: Map<string, string>): { limit: number; cursor?: string } {
  const raw = params.get('limit');
  const limit = raw === undefined ? 25 : /^[1-9][0-9]{0,2}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(limit >= 1 && limit <= 100))
    throw new ProblemError('bad-request', 'limit must be an integer from 1 to 100.');
  const cursor = params.get('cursor');
  if (cursor !== undefined && !/^[A-Za-z0-9_-]{1,2048}$/.test(cursor))
    throw new ProblemError('bad-request', 'The cursor is not one this API returned.');
  return { limit, ...(cursor ? { cursor } : {}) };
}
