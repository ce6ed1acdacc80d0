import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { conditionally } from '../../aws/conditional-write.ts';
import type { HealthStateStore, PartnerWatch } from '../ports.ts';
import { healthKey } from './partners-keys.ts';

/** Each partner's automatic health (`PartnerWatch`) in its partition, moved by versioned writes. */
export class DynamoHealthStateStore implements HealthStateStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(partnerId: string): Promise<{ watch: PartnerWatch; version: number } | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: healthKey(partnerId), ConsistentRead: true }),
    );
    return Item ? { watch: Item.watch as PartnerWatch, version: Item.version as number } : undefined;
  }

  async save(partnerId: string, watch: PartnerWatch, expectedVersion: number): Promise<boolean> {
    return conditionally(
      this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...healthKey(partnerId), kind: 'health', watch, version: expectedVersion + 1 },
          ...(expectedVersion === 0
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: 'version = :seen',
                ExpressionAttributeValues: { ':seen': expectedVersion },
              }),
        }),
      ),
    );
  }
}
