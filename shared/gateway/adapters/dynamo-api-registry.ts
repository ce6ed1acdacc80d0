import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { conditionally } from '../../aws/conditional-write.ts';
import type { ApiDefinition, StoredApiDefinition } from '../api-definition.ts';
import { type ApiRegistry, type RegistryIndexEntry, RevisionConflictError } from '../ports.ts';

const key = (name: string) => ({ pk: `API#${name}`, sk: 'API' });
const CATALOG_VERSION = { pk: 'REGISTRY', sk: 'VERSION' };

/**
 * API definitions in the registry table, one item each, plus an index item per API under `APIS` so the
 * console can list them without a scan. Every write bumps `revision` and the catalog version item, which
 * gateway instances poll (one GetItem) to learn that something changed.
 */
export class DynamoApiRegistry implements ApiRegistry {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(name: string): Promise<StoredApiDefinition | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: key(name) }));
    if (!Item) return undefined;
    return {
      ...(Item.definition as ApiDefinition),
      revision: (Item.revision as number) ?? 1,
      updatedAt: Item.updatedAt as string,
    };
  }

  async put(api: ApiDefinition, expectedRevision?: number): Promise<StoredApiDefinition> {
    const current = await this.get(api.name);
    if (expectedRevision !== undefined && (current?.revision ?? 0) !== expectedRevision) {
      throw new RevisionConflictError(`revision is ${current?.revision ?? 0}, not ${expectedRevision}`);
    }
    const revision = (current?.revision ?? 0) + 1;
    const updatedAt = new Date().toISOString();
    const written = await conditionally(
      this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...key(api.name), definition: api, revision, updatedAt },
          ConditionExpression: current ? 'revision = :seen' : 'attribute_not_exists(pk)',
          ...(current ? { ExpressionAttributeValues: { ':seen': current.revision } } : {}),
        }),
      ),
    );
    if (!written) throw new RevisionConflictError('changed concurrently');
    await this.db.send(
      new PutCommand({ TableName: this.table, Item: { pk: 'APIS', sk: api.name, revision, updatedAt } }),
    );
    await this.bumpCatalogVersion();
    return { ...api, revision, updatedAt };
  }

  async list(): Promise<StoredApiDefinition[]> {
    const all = await Promise.all((await this.index()).map((entry) => this.get(entry.name)));
    return all.filter((a): a is StoredApiDefinition => a !== undefined);
  }

  async index(): Promise<RegistryIndexEntry[]> {
    const entries: RegistryIndexEntry[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': 'APIS' },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? [])
        entries.push({ name: item.sk as string, revision: (item.revision as number) ?? 1 });
      start = page.LastEvaluatedKey;
    } while (start);
    return entries;
  }

  async catalogVersion(): Promise<number> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: CATALOG_VERSION }));
    return (Item?.version as number | undefined) ?? 0;
  }

  private async bumpCatalogVersion(): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: CATALOG_VERSION,
        UpdateExpression: 'ADD version :one',
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );
  }

  async delete(name: string): Promise<boolean> {
    const { Attributes } = await this.db.send(
      new DeleteCommand({ TableName: this.table, Key: key(name), ReturnValues: 'ALL_OLD' }),
    );
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: { pk: 'APIS', sk: name } }));
    await this.bumpCatalogVersion();
    return Attributes !== undefined;
  }
}
