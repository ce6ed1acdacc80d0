import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { epochSeconds } from '../../kernel/time.ts';
import type { LoadRun } from '../load-run.ts';
import { LoadRunBusyError, type LoadRunRef, type LoadRunStore } from '../ports.ts';

const runsPk = (apiName: string, caseId: string) => `LOADRUN#${apiName}#${caseId}`;
const runKey = (ref: LoadRunRef) => ({ pk: runsPk(ref.apiName, ref.caseId), sk: ref.loadRunId });
/** One per API: the run that holds the API's load slot, until it finishes or `until` passes. */
const slotKey = (apiName: string) => ({ pk: `LOADSLOT#${apiName}`, sk: 'SLOT' });
const RUN_RETENTION_SECONDS = 90 * 86_400;

const strip = (item: Record<string, unknown>): LoadRun => {
  const { pk: _pk, sk: _sk, kind: _kind, expiresAt: _exp, ...rest } = item;
  return rest as unknown as LoadRun;
};

/** Load runs in the registry table beside their test case; see docs/data-model.md. */
export class DynamoLoadRunStore implements LoadRunStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  private item(run: LoadRun) {
    return {
      ...runKey(run),
      kind: 'load-run',
      ...run,
      expiresAt: epochSeconds(new Date(run.createdAt)) + RUN_RETENTION_SECONDS,
    };
  }

  async create(run: LoadRun, slotUntil: Date): Promise<void> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: {
                  ...slotKey(run.apiName),
                  kind: 'load-slot',
                  loadRunId: run.loadRunId,
                  until: slotUntil.toISOString(),
                  expiresAt: epochSeconds(slotUntil),
                },
                ConditionExpression: 'attribute_not_exists(pk) OR #until < :now',
                ExpressionAttributeNames: { '#until': 'until' },
                ExpressionAttributeValues: { ':now': run.createdAt },
              },
            },
            {
              Put: {
                TableName: this.table,
                Item: this.item(run),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const { Item } = await this.db.send(
        new GetCommand({ TableName: this.table, Key: slotKey(run.apiName), ConsistentRead: true }),
      );
      throw new LoadRunBusyError(Item?.loadRunId as string | undefined);
    }
  }

  async get(ref: LoadRunRef): Promise<LoadRun | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: runKey(ref) }));
    return Item ? strip(Item) : undefined;
  }

  async list(apiName: string, caseId: string, limit: number): Promise<LoadRun[]> {
    const { Items } = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': runsPk(apiName, caseId) },
        // Everything but the per-second series, which only one run's page shows.
        ProjectionExpression:
          'loadRunId, apiName, caseId, caseName, environment, profile, #status, requestedBy, createdAt, startedAt, finishedAt, #error, progress, summary',
        ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (Items ?? []).map(strip);
  }

  private async update(
    ref: LoadRunRef,
    command: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName' | 'Key'>,
  ) {
    try {
      await this.db.send(new UpdateCommand({ TableName: this.table, Key: runKey(ref), ...command }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  start(ref: LoadRunRef, startedAt: string): Promise<boolean> {
    return this.update(ref, {
      UpdateExpression: 'SET #status = :running, startedAt = :at',
      ConditionExpression: '#status = :queued',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':running': 'running', ':queued': 'queued', ':at': startedAt },
    });
  }

  async progress(ref: LoadRunRef, sent: number): Promise<void> {
    await this.update(ref, {
      UpdateExpression: 'SET progress.sent = :sent',
      ConditionExpression: '#status = :running',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':sent': sent, ':running': 'running' },
    });
  }

  /** The run first: when the slot's delete fails, the slot still ends at its `until`. */
  async finish(run: LoadRun): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.table, Item: this.item(run) }));
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.table,
          Key: slotKey(run.apiName),
          // Another run's slot (this one's had expired and was taken) stays.
          ConditionExpression: 'loadRunId = :run',
          ExpressionAttributeValues: { ':run': run.loadRunId },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
