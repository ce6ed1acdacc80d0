import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { TrafficMinute, TrafficStore } from '../ports.ts';
import { minuteSortKey, trafficKey, trafficOf } from './partners-keys.ts';

/** Minutes of traffic are kept a day: detection and the ramp gates read the last hour at most. */
const KEEP_SECONDS = 24 * 3600;

/**
 * A partner's calls per minute, one item per (minute, instance) holding that instance's running totals
 * (a put, never an `ADD`: writing the same totals twice counts them once). A read sums the instances.
 */
export class DynamoTrafficStore implements TrafficStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async put(partnerId: string, instanceId: string, totals: TrafficMinute): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...trafficKey(partnerId, totals.minute, instanceId),
          kind: 'traffic',
          calls: totals.calls,
          succeeded: totals.succeeded,
          slow: totals.slow,
          expiresAt: totals.minute * 60 + KEEP_SECONDS,
        },
      }),
    );
  }

  async read(partnerId: string, fromMinute: number, toMinute: number): Promise<TrafficMinute[]> {
    const minutes = new Map<number, TrafficMinute>();
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :p AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':p': trafficOf(partnerId),
            ':from': minuteSortKey(fromMinute),
            // Every instance's item of the last minute sorts after its bare minute.
            ':to': `${minuteSortKey(toMinute)}#~`,
          },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        const minute = Number(String(item.sk).split('#')[0]);
        const sum = minutes.get(minute) ?? { minute, calls: 0, succeeded: 0, slow: 0 };
        sum.calls += item.calls as number;
        sum.succeeded += item.succeeded as number;
        sum.slow += item.slow as number;
        minutes.set(minute, sum);
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return [...minutes.values()].sort((a, b) => a.minute - b.minute);
  }
}
