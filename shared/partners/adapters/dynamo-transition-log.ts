import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { decodeCursor, encodeCursor } from '../../aws/dynamo-cursor.ts';
import type { Page, PageRequest } from '../../kernel/page.ts';
import type { PartnerTransition, TransitionLog } from '../ports.ts';
import { transitionKey, transitionsOf } from './partners-keys.ts';

/** Transitions are history for operators, kept 90 days. */
const KEEP_SECONDS = 90 * 24 * 3600;

/** One item per transition in the partner's own partition, sorted by time; a repeated put is the same item. */
export class DynamoTransitionLog implements TransitionLog {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async append(transitions: readonly PartnerTransition[]): Promise<void> {
    await Promise.all(
      transitions.map((t) =>
        this.db.send(
          new PutCommand({
            TableName: this.table,
            Item: {
              ...transitionKey(t.partnerId, t.at, t.eventId),
              kind: 'transition',
              transition: t,
              expiresAt: Math.floor(t.at / 1000) + KEEP_SECONDS,
            },
          }),
        ),
      ),
    );
  }

  async list(partnerId: string, { limit, cursor }: PageRequest): Promise<Page<PartnerTransition>> {
    const pk = transitionsOf(partnerId);
    const scope = `transitions:${pk}`;
    const page = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': pk },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: decodeCursor(scope, cursor, ['pk', 'sk'], { pk }),
      }),
    );
    return {
      items: (page.Items ?? []).map((item) => item.transition as PartnerTransition),
      ...(page.LastEvaluatedKey ? { next: encodeCursor(scope, page.LastEvaluatedKey) } : {}),
    };
  }
}
