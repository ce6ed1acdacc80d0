import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { conditionally } from '../../aws/conditional-write.ts';
import { queryPartition } from '../../aws/query-partition.ts';
import { RevisionConflictError } from '../../kernel/revision.ts';
import type { PartnerStore, StoredPartner } from '../ports.ts';
import { PARTNERS_PARTITION, partnerKey, partnerPartition } from './partners-keys.ts';

const stored = (item: Record<string, unknown>): StoredPartner => item.partner as StoredPartner;

/** Partner definitions in the partners table, one item each under `PARTNERS`, written over the revision read. */
export class DynamoPartnerStore implements PartnerStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(partnerId: string): Promise<StoredPartner | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: partnerKey(partnerId), ConsistentRead: true }),
    );
    return Item ? stored(Item) : undefined;
  }

  async list(): Promise<StoredPartner[]> {
    return (await queryPartition(this.db, { table: this.table, pk: PARTNERS_PARTITION })).map(stored);
  }

  async put(partner: Omit<StoredPartner, 'revision'>, expectedRevision?: number): Promise<StoredPartner> {
    const current = await this.get(partner.partnerId);
    const seen = current?.revision ?? 0;
    if (expectedRevision !== undefined && seen !== expectedRevision) {
      throw new RevisionConflictError(`revision is ${seen}, not ${expectedRevision}`);
    }
    const next: StoredPartner = { ...partner, revision: seen + 1 };
    const written = await conditionally(
      this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...partnerKey(partner.partnerId), kind: 'partner', partner: next, revision: next.revision },
          ...(current
            ? { ConditionExpression: 'revision = :seen', ExpressionAttributeValues: { ':seen': seen } }
            : { ConditionExpression: 'attribute_not_exists(pk)' }),
        }),
      ),
    );
    if (!written) throw new RevisionConflictError('changed concurrently');
    return next;
  }

  async delete(partnerId: string): Promise<boolean> {
    const existed = await conditionally(
      this.db.send(
        new DeleteCommand({
          TableName: this.table,
          Key: partnerKey(partnerId),
          ConditionExpression: 'attribute_exists(pk)',
        }),
      ),
    );
    // Its notices and health state go with it, 25 per transaction (a partner has few).
    for (;;) {
      const { Items = [] } = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': partnerPartition(partnerId) },
          ProjectionExpression: 'pk, sk',
          Limit: 25,
        }),
      );
      if (Items.length === 0) break;
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: Items.map((key) => ({
            Delete: { TableName: this.table, Key: { pk: key.pk, sk: key.sk } },
          })),
        }),
      );
    }
    return existed;
  }
}
