import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ApiDefinition } from '../api-definition.ts';
import type { ApiRegistry } from '../ports.ts';

const key = (name: string) => ({ pk: `API#${name}`, sk: 'API' });

export class DynamoApiRegistry implements ApiRegistry {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(name: string): Promise<ApiDefinition | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: key(name) }));
    return Item?.definition as ApiDefinition | undefined;
  }

  async put(api: ApiDefinition): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...key(api.name), definition: api, updatedAt: new Date().toISOString() },
      }),
    );
  }
}
