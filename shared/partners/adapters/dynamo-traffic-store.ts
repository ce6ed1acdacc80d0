import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { queryPartition } from '../../aws/query-partition.ts';
import type { TrafficStore, TrafficWindow } from '../ports.ts';
import { trafficKey, trafficOf, windowSortKey } from './partners-keys.ts';

/** Windows of traffic are kept a day: detection and the ramp gates read the last hour at most. */
const KEEP_SECONDS = 24 * 3600;

/**
 * A partner's calls per window, one item per (window, instance) holding that instance's running totals
 * (a put, never an `ADD`: writing the same totals twice counts them once). A read sums the instances.
 */
export class DynamoTrafficStore implements TrafficStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async put(partnerId: string, instanceId: string, totals: TrafficWindow): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...trafficKey(partnerId, totals.start, instanceId),
          kind: 'traffic',
          calls: totals.calls,
          succeeded: totals.succeeded,
          slow: totals.slow,
          expiresAt: Math.floor(totals.start / 1000) + KEEP_SECONDS,
        },
      }),
    );
  }

  async read(partnerId: string, from: number, to: number): Promise<TrafficWindow[]> {
    const windows = new Map<number, TrafficWindow>();
    const items = await queryPartition(this.db, {
      table: this.table,
      pk: trafficOf(partnerId),
      // Every instance's item of the last window sorts after its bare start.
      skBetween: { from: windowSortKey(from), to: `${windowSortKey(to)}#~` },
    });
    for (const item of items) {
      const start = Number(String(item.sk).split('#')[0]);
      const sum = windows.get(start) ?? { start, calls: 0, succeeded: 0, slow: 0 };
      sum.calls += item.calls as number;
      sum.succeeded += item.succeeded as number;
      sum.slow += item.slow as number;
      windows.set(start, sum);
    }
    return [...windows.values()].sort((a, b) => a.start - b.start);
  }
}
