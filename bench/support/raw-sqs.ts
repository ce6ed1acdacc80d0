import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Bounds } from './measure.ts';

export interface RawSqsResult {
  messages: number;
  elapsedMs: number;
  perSecond: number;
}

/**
 * The bare queue a delivery rides on, as fast as the emulator takes it: messages sent, received and
 * deleted on a fresh standard queue, with `consumers` receivers at once. `batched`: SendMessageBatch
 * and DeleteMessageBatch of 10 and receives of up to 10 (how the platform's queue path calls SQS);
 * otherwise one SendMessage, one ReceiveMessage and one DeleteMessage per message. Bounded by a
 * message count and a time cap, whichever comes first.
 */
export async function rawSqsThroughput(
  sqs: SQSClient,
  { batched, consumers, bounds }: { batched: boolean; consumers: number; bounds: Bounds },
): Promise<RawSqsResult> {
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: `bench-raw-${Date.now().toString(36)}-${batched ? 'b' : 's'}` }),
  );
  const queueUrl = QueueUrl!;
  const body = JSON.stringify({ deliveryId: 'msg_0123456789abcdefghijklmnopq', subscriptionId: 'sub_0' });
  const started = Date.now();
  const deadline = started + bounds.maxMs;
  let sent = 0;
  let done = 0;
  const more = () => done < bounds.maxIterations && Date.now() < deadline;
  try {
    if (batched) {
      const producer = (async () => {
        while (sent < bounds.maxIterations && Date.now() < deadline) {
          const count = Math.min(10, bounds.maxIterations - sent);
          await sqs.send(
            new SendMessageBatchCommand({
              QueueUrl: queueUrl,
              Entries: Array.from({ length: count }, (_, i) => ({
                Id: String(i),
                MessageBody: body,
                MessageGroupId: `sub_${i % 5}`,
              })),
            }),
          );
          sent += count;
        }
      })();
      const consumer = async () => {
        while (more()) {
          const { Messages = [] } = await sqs.send(
            new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
          );
          if (Messages.length === 0) continue;
          await sqs.send(
            new DeleteMessageBatchCommand({
              QueueUrl: queueUrl,
              Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
            }),
          );
          done += Messages.length;
        }
      };
      await Promise.all([producer, ...Array.from({ length: consumers }, consumer)]);
    } else {
      const worker = async () => {
        while (more()) {
          await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
          const { Messages = [] } = await sqs.send(
            new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 1, WaitTimeSeconds: 1 }),
          );
          for (const m of Messages) {
            await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle! }));
            done++;
          }
        }
      };
      await Promise.all(Array.from({ length: consumers }, worker));
    }
  } finally {
    await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl })).catch(() => undefined);
  }
  const elapsedMs = Date.now() - started;
  return { messages: done, elapsedMs, perSecond: done / (elapsedMs / 1000) };
}
