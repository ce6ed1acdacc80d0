import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeliveryQueue } from '../ports.ts';

/** SQS holds a message back at most 15 minutes; a later delivery is re-queued by its worker until due. */
export const MAX_QUEUE_DELAY_SECONDS = 900;
const BATCH = 10;

/**
 * Due deliveries as SQS messages (`{"deliveryId", "subscriptionId"}`), with the subscription as message group: on a
 * standard queue that is an SQS fair queue, so one subscription's backlog cannot starve the others.
 * A batch entry SQS refuses fails the whole call, so the caller retries: delivery at least once.
 */
export class SqsDeliveryQueue implements DeliveryQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly clock: () => number = Date.now,
  ) {}

  async enqueue(
    items: readonly { deliveryId: string; subscriptionId: string; dueAt: number }[],
  ): Promise<void> {
    const now = this.clock();
    for (let i = 0; i < items.length; i += BATCH) {
      const batch = items.slice(i, i + BATCH);
      const { Failed = [] } = await this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map((item, n) => ({
            Id: String(n),
            MessageBody: JSON.stringify({ deliveryId: item.deliveryId, subscriptionId: item.subscriptionId }),
            MessageGroupId: item.subscriptionId,
            DelaySeconds: Math.min(
              MAX_QUEUE_DELAY_SECONDS,
              Math.max(0, Math.ceil((item.dueAt - now) / 1000)),
            ),
          })),
        }),
      );
      if (Failed.length > 0) {
        throw new Error(`SQS refused ${Failed.length} of ${batch.length} deliveries: ${Failed[0]?.Code}`);
      }
    }
  }
}
