import { CreateTableCommand, DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll } from 'vitest';
import { aws, uniqueName } from './platform.ts';

/** A `pk`/`sk` table of a test's own in the emulator, as the DataStack tables are keyed. */
export async function createTable(name: string): Promise<void> {
  await aws().dynamo.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    }),
  );
}

export async function deleteTable(name: string): Promise<void> {
  await aws()
    .dynamo.send(new DeleteTableCommand({ TableName: name }))
    .catch(() => {});
}

/**
 * A table of the calling file's (or suite's) own, named after `prefix`: created before its tests and
 * deleted after them. Returns the name.
 */
export function useTable(prefix: string): string {
  const name = uniqueName(prefix);
  beforeAll(() => createTable(name));
  afterAll(() => deleteTable(name));
  return name;
}
