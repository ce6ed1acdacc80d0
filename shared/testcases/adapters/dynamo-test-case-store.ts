import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { epochSeconds } from '../../kernel/time.ts';
import { TestCaseConflictError, type TestCaseStore } from '../ports.ts';
import type { TestRun } from '../run-case.ts';
import type { TestCase } from '../test-case.ts';

type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];

const caseKey = (apiName: string, caseId: string) => ({ pk: `TESTCASE#${apiName}`, sk: caseId });
/** Every scheduled, enabled case, with its next run time: what the scheduler reads each minute. */
const DUE_PK = 'TESTCASES';
const dueKey = (apiName: string, caseId: string) => ({ pk: DUE_PK, sk: `${apiName}#${caseId}` });
const runsPk = (apiName: string, caseId: string) => `TESTRUN#${apiName}#${caseId}`;
const RUN_RETENTION_SECONDS = 30 * 86_400;

const strip = <T>(item: Record<string, unknown>): T => {
  const { pk: _pk, sk: _sk, kind: _kind, expiresAt: _exp, ...rest } = item;
  return rest as T;
};

/** Test cases in the registry table beside their API; see docs/data-model.md. */
export class DynamoTestCaseStore implements TestCaseStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  private caseWrites(
    testCase: TestCase,
    condition: Omit<NonNullable<TransactItem['Put']>, 'TableName' | 'Item'>,
  ): TransactItem[] {
    const scheduled = testCase.nextRunAt !== undefined;
    return [
      {
        Put: {
          TableName: this.table,
          Item: { ...caseKey(testCase.apiName, testCase.caseId), kind: 'test-case', ...testCase },
          ...condition,
        },
      },
      scheduled
        ? {
            Put: {
              TableName: this.table,
              Item: { ...dueKey(testCase.apiName, testCase.caseId), kind: 'test-case-due', ...testCase },
            },
          }
        : { Delete: { TableName: this.table, Key: dueKey(testCase.apiName, testCase.caseId) } },
    ];
  }

  private async write(items: TransactItem[]): Promise<void> {
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (error instanceof TransactionCanceledException)
        throw new TestCaseConflictError('changed concurrently');
      throw error;
    }
  }

  private onRevision(revision: number | undefined) {
    return revision === undefined
      ? { ConditionExpression: 'attribute_not_exists(pk)' }
      : { ConditionExpression: 'revision = :r', ExpressionAttributeValues: { ':r': revision } };
  }

  async put(testCase: TestCase, expectedRevision?: number): Promise<void> {
    await this.write(this.caseWrites(testCase, this.onRevision(expectedRevision)));
  }

  async get(apiName: string, caseId: string): Promise<TestCase | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: caseKey(apiName, caseId) }),
    );
    return Item ? strip<TestCase>(Item) : undefined;
  }

  async list(apiName: string): Promise<TestCase[]> {
    const { Items } = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': caseKey(apiName, '').pk },
        Limit: 200,
      }),
    );
    return (Items ?? []).map((i) => strip<TestCase>(i));
  }

  async delete(apiName: string, caseId: string): Promise<void> {
    await this.write([
      {
        Delete: {
          TableName: this.table,
          Key: caseKey(apiName, caseId),
          ConditionExpression: 'attribute_exists(pk)',
        },
      },
      { Delete: { TableName: this.table, Key: dueKey(apiName, caseId) } },
    ]);
  }

  async due(now: Date, limit: number): Promise<TestCase[]> {
    const found: TestCase[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :p',
          FilterExpression: 'nextRunAt <= :now',
          ExpressionAttributeValues: { ':p': DUE_PK, ':now': now.toISOString() },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      found.push(...(page.Items ?? []).map((i) => strip<TestCase>(i)));
      start = page.LastEvaluatedKey;
    } while (start && found.length < limit);
    return found.slice(0, limit);
  }

  async recordRun(run: TestRun, after?: { testCase: TestCase; revision: number }): Promise<void> {
    await this.write([
      {
        Put: {
          TableName: this.table,
          Item: {
            pk: runsPk(run.apiName, run.caseId),
            sk: `${run.at}#${run.runId}`,
            kind: 'test-run',
            ...run,
            expiresAt: epochSeconds(new Date(run.at)) + RUN_RETENTION_SECONDS,
          },
        },
      },
      ...(after ? this.caseWrites(after.testCase, this.onRevision(after.revision)) : []),
    ]);
  }

  async runs(apiName: string, caseId: string, limit: number): Promise<TestRun[]> {
    const { Items } = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': runsPk(apiName, caseId) },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (Items ?? []).map((i) => strip<TestRun>(i));
  }
}
