import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { PollQueue } from '../ports.ts';

const BATCH = 10;

/** Poll jobs as SQS messages (`{"partnerId"}`), ten per call; a refused entry fails the call (the scheduler retries). */
export function sqsPollQueue(sqs: SQSClient, queueUrl: string): PollQueue {
  return async (partnerIds) => {
    for (let i = 0; i < partnerIds.length; i += BATCH) {
      const batch = partnerIds.slice(i, i + BATCH);
      const { Failed = [] } = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: batch.map((partnerId, n) => ({
            Id: String(n),
            MessageBody: JSON.stringify({ partnerId }),
          })),
        }),
      );
      if (Failed.length > 0)
        throw new Error(`${Failed.length} poll job(s) refused: ${Failed[0]?.Message ?? ''}`);
    }
  };
}
