import { CreateTableCommand, DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll } from 'vitest';
import { aws, uniqueName } from './platform.ts';

const INDEXES = ['gsi1', 'gsi2'];

/**
 * A `pk`/`sk` table of a test's own in the emulator, as the DataStack tables are keyed, with the
 * `gsi1` and `gsi2` indexes (`gsiNpk`/`gsiNsk`) the tables that need them have.
 */
export async function createTable(name: string): Promise<void> {
  const keys = (hash: string, range: string) => [
    { AttributeName: hash, KeyType: 'HASH' as const },
    { AttributeName: range, KeyType: 'RANGE' as const },
  ];
  await aws().dynamo.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: ['pk', 'sk', ...INDEXES.flatMap((i) => [`${i}pk`, `${i}sk`])].map((a) => ({
        AttributeName: a,
        AttributeType: 'S' as const,
      })),
      KeySchema: keys('pk', 'sk'),
      GlobalSecondaryIndexes: INDEXES.map((i) => ({
        IndexName: i,
        KeySchema: keys(`${i}pk`, `${i}sk`),
        Projection: { ProjectionType: 'ALL' as const },
      })),
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
