import { createHash } from 'node:crypto';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { conditionally } from '../../aws/conditional-write.ts';
import { epochSeconds } from '../../kernel/time.ts';
import type { BreakerSnapshot } from '../circuit-breaker/breaker.ts';
import type { GatewayStateStore, HealthResult, StoredBreaker } from '../ports.ts';
import {
  BREAKER_RECORD_TTL_SECONDS,
  HEALTH_RECORD_TTL_SECONDS,
  MAX_RECORDS_READ,
} from '../state/record-lifetimes.ts';

const BREAKERS = 'BREAKERS';
const HEALTH = 'HEALTH';

/** DynamoDB's limit on a sort key, in bytes. */
const MAX_SORT_KEY_BYTES = 1024;

/**
 * A breaker key or URL as a sort key. Upstream URLs may be up to 2,000 characters, beyond what a sort
 * key holds: those are stored under their hash (no real key starts with `#`: API names start with a
 * letter), and every item carries its full id in an attribute that readers use.
 */
const sortKey = (id: string) =>
  Buffer.byteLength(id) <= MAX_SORT_KEY_BYTES
    ? id
    : `#sha256:${createHash('sha256').update(id).digest('hex')}`;

export interface DynamoStateStoreOptions {
  /** Clock for expiry (ms). Default `Date.now`. */
  now?: () => number;
  /** Most records one read returns. Default 2,000. */
  maxRecords?: number;
  /** Health results written at once. Default 8. */
  writeConcurrency?: number;
}

/**
 * Shared gateway state in its own table (`pk`/`sk` strings, TTL on `expiresAt`, epoch seconds):
 * - breaker records `pk = BREAKERS`, `sk = <breaker key>`: `key`, `snapshot` (the `BreakerSnapshot`),
 *   `version` (the snapshot's, for the conditional write), `expiresAt` (1 h after the write);
 * - health results `pk = HEALTH`, `sk = <upstream URL>`: `url`, `result` (the `HealthResult`),
 *   `checkedAt`, `expiresAt` (10 min after the write).
 *
 * Each kind is one item collection, so one Query (paginated, at most `maxRecords` items) reads it all.
 * Readers skip expired items themselves: TTL deletion lags (and the local emulator never deletes), and
 * writers may overwrite an expired item whatever its version, so a dead record never blocks a live one.
 *
 * The gateway needs `dynamodb:Query` and `dynamodb:PutItem` on the table; the health check the same.
 */
export class DynamoStateStore implements GatewayStateStore {
  /** DynamoDB requests made (a read of several pages counts each page). */
  requests = 0;
  private readonly now: () => number;
  private readonly maxRecords: number;
  private readonly writeConcurrency: number;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    options: DynamoStateStoreOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.maxRecords = Math.max(1, options.maxRecords ?? MAX_RECORDS_READ);
    this.writeConcurrency = options.writeConcurrency ?? 8;
  }

  async readBreakers(): Promise<StoredBreaker[]> {
    const items = await this.query(BREAKERS);
    return items
      .filter((item) => typeof item.key === 'string')
      .map((item) => ({ key: item.key as string, snapshot: item.snapshot }));
  }

  async writeBreaker(key: string, snapshot: BreakerSnapshot): Promise<boolean> {
    const nowSeconds = this.nowSeconds();
    this.requests++;
    return conditionally(
      this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: BREAKERS,
            sk: sortKey(key),
            key,
            snapshot,
            version: snapshot.version,
            expiresAt: nowSeconds + BREAKER_RECORD_TTL_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR #version < :version OR expiresAt <= :now',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':version': snapshot.version, ':now': nowSeconds },
        }),
      ),
    );
  }

  async readHealth(): Promise<HealthResult[]> {
    const items = await this.query(HEALTH);
    return items.map((item) => item.result).filter(isHealthResult);
  }

  async writeHealth(results: HealthResult[]): Promise<void> {
    const nowSeconds = this.nowSeconds();
    let next = 0;
    const worker = async () => {
      while (next < results.length) await this.putHealth(results[next++]!, nowSeconds);
    };
    await Promise.all(Array.from({ length: Math.min(this.writeConcurrency, results.length) }, worker));
  }

  /** Skipped when a result checked later is stored: an overlapping, slower run never wins. */
  private async putHealth(result: HealthResult, nowSeconds: number): Promise<void> {
    this.requests++;
    await conditionally(
      this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: HEALTH,
            sk: sortKey(result.url),
            url: result.url,
            result,
            checkedAt: result.checkedAt,
            expiresAt: nowSeconds + HEALTH_RECORD_TTL_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR checkedAt <= :checkedAt OR expiresAt <= :now',
          ExpressionAttributeValues: { ':checkedAt': result.checkedAt, ':now': nowSeconds },
        }),
      ),
    );
  }

  /** The live items of one collection, at most `maxRecords` of them. */
  private async query(pk: string): Promise<Record<string, unknown>[]> {
    const nowSeconds = this.nowSeconds();
    const live: Record<string, unknown>[] = [];
    let scanned = 0;
    let start: Record<string, unknown> | undefined;
    do {
      this.requests++;
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          Limit: this.maxRecords - scanned,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      const items = page.Items ?? [];
      scanned += items.length;
      for (const item of items) if (Number(item.expiresAt) > nowSeconds) live.push(item);
      start = page.LastEvaluatedKey;
    } while (start && scanned < this.maxRecords);
    return live;
  }

  private nowSeconds(): number {
    return epochSeconds(this.now());
  }
}

function isHealthResult(value: unknown): value is HealthResult {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return (
    typeof r.url === 'string' &&
    typeof r.ok === 'boolean' &&
    typeof r.latencyMs === 'number' &&
    typeof r.checkedAt === 'number' &&
    Number.isFinite(r.checkedAt)
  );
}
