import { InvalidCursorError } from '../kernel/page.ts';

type Key = Record<string, string>;

/**
 * Opaque paging cursors over DynamoDB's LastEvaluatedKey. Each cursor names the listing it belongs
 * to (`scope`, e.g. `tokens:APP#a1`): a cursor from another listing, another app or a forged key is
 * refused before DynamoDB sees it, instead of failing there as a 500 or reading someone else's page.
 */
export function encodeCursor(scope: string, key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify({ s: scope, k: key })).toString('base64url') : undefined;
}

/**
 * The start key of `cursor`, which must name `scope`, hold string members `required` among others, and
 * have the values `partition` names (the partition the listing queries: a key from elsewhere would
 * make DynamoDB fail the query).
 */
export function decodeCursor(
  scope: string,
  cursor: string | undefined,
  required: readonly string[] = ['pk', 'sk'],
  partition: Readonly<Record<string, string>> = {},
): Key | undefined {
  if (!cursor) return undefined;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('malformed cursor');
  }
  const { s, k } = (decoded ?? {}) as { s?: unknown; k?: unknown };
  const valid =
    s === scope &&
    k !== null &&
    typeof k === 'object' &&
    Object.values(k).every((v) => typeof v === 'string') &&
    required.every((name) => typeof (k as Key)[name] === 'string') &&
    Object.entries(partition).every(([name, value]) => (k as Key)[name] === value);
  if (!valid) throw new InvalidCursorError('cursor of another listing');
  return k as Key;
}
