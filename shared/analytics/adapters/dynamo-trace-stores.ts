import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { conditionally } from '../../aws/conditional-write.ts';
import { queryPartition } from '../../aws/query-partition.ts';
import type { ErrorReport } from '../call-chain.ts';
import type { ErrorReportStore, ProviderKey, ProviderKeyStore } from '../ports.ts';

/** Error reports in the analytics table: `TRACE#<traceId>` / `ERROR#<spanId>#<reportId>`, with a TTL. */
export class DynamoErrorReportStore implements ErrorReportStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async add(report: ErrorReport, expiresAt: number): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: `TRACE#${report.traceId}`,
          sk: `ERROR#${report.spanId}#${report.reportId}`,
          ...report,
          expiresAt,
        },
      }),
    );
  }

  async forTrace(traceId: string): Promise<ErrorReport[]> {
    const items = await queryPartition(this.db, { table: this.table, pk: `TRACE#${traceId}` });
    const now = Date.now() / 1000;
    return items
      .filter((item) => !(typeof item.expiresAt === 'number' && item.expiresAt < now))
      .map(({ pk: _pk, sk: _sk, expiresAt: _e, ...report }) => report as unknown as ErrorReport);
  }
}

/** Provider keys in the registry table: `PROVIDER_KEY#<keyId>` / `KEY`. */
export class DynamoProviderKeyStore implements ProviderKeyStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(key: ProviderKey): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: `PROVIDER_KEY#${key.keyId}`, sk: 'KEY', ...key },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(keyId: string): Promise<ProviderKey | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: `PROVIDER_KEY#${keyId}`, sk: 'KEY' } }),
    );
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, ...key } = Item;
    return key as ProviderKey;
  }

  delete(api: string, keyId: string): Promise<boolean> {
    return conditionally(
      this.db.send(
        new DeleteCommand({
          TableName: this.table,
          Key: { pk: `PROVIDER_KEY#${keyId}`, sk: 'KEY' },
          ConditionExpression: 'api = :api',
          ExpressionAttributeValues: { ':api': api },
        }),
      ),
    );
  }
}
