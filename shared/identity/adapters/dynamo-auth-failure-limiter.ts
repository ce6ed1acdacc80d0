import { BatchGetCommand, type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { epochSeconds } from '../../kernel/time.ts';
import type { AuthFailureLimiter } from '../ports.ts';
import { authFailureKeys } from './identity-keys.ts';

export interface FailureLimits {
  perClientPerMinute: number;
  perIpPerMinute: number;
}

const minuteOf = (now: Date) => now.toISOString().slice(0, 16);

/**
 * Fixed one-minute windows of failed attempts, per client id and per source IP, in the identity
 * table. A check costs one BatchGet; only failures write.
 */
export class DynamoAuthFailureLimiter implements AuthFailureLimiter {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly limits: FailureLimits = { perClientPerMinute: 10, perIpPerMinute: 50 },
  ) {}

  private keys(clientId: string, sourceIp: string, now: Date) {
    return authFailureKeys(clientId, sourceIp, minuteOf(now));
  }

  async blockedFor(clientId: string, sourceIp: string, now: Date): Promise<number | undefined> {
    const keys = this.keys(clientId, sourceIp, now);
    const { Responses } = await this.db.send(
      new BatchGetCommand({ RequestItems: { [this.table]: { Keys: keys } } }),
    );
    const counts = new Map(
      (Responses?.[this.table] ?? []).map((i) => [i.pk as string, (i.count as number) ?? 0]),
    );
    const over =
      (counts.get(keys[0]!.pk) ?? 0) >= this.limits.perClientPerMinute ||
      (counts.get(keys[1]!.pk) ?? 0) >= this.limits.perIpPerMinute;
    return over ? 60 - now.getUTCSeconds() : undefined;
  }

  async recordFailure(clientId: string, sourceIp: string, now: Date): Promise<void> {
    const expiresAt = epochSeconds(now) + 120;
    await Promise.all(
      this.keys(clientId, sourceIp, now).map((Key) =>
        this.db.send(
          new UpdateCommand({
            TableName: this.table,
            Key,
            UpdateExpression: 'ADD #count :one SET expiresAt = :exp',
            ExpressionAttributeNames: { '#count': 'count' },
            ExpressionAttributeValues: { ':one': 1, ':exp': expiresAt },
          }),
        ),
      ),
    );
  }
}
