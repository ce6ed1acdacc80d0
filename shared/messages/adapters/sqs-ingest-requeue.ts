import { ChangeMessageVisibilityCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { INGEST_ORIGIN, type IngestRequeue } from '../redrive-ingest.ts';

/** The longest SQS lets a received message stay invisible. */
const MAX_VISIBILITY_SECONDS = 12 * 3600;

export class SqsIngestRequeue implements IngestRequeue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly ingestQueueUrl: string,
    private readonly deadLetterQueueUrl: string,
  ) {}

  async requeue(
    body: string,
    origin: { firstSentAt: number; originId: string },
    delaySeconds: number,
  ): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.ingestQueueUrl,
        MessageBody: body,
        DelaySeconds: delaySeconds,
        MessageAttributes: {
          [INGEST_ORIGIN.firstSentAt]: { DataType: 'Number', StringValue: String(origin.firstSentAt) },
          [INGEST_ORIGIN.originId]: { DataType: 'String', StringValue: origin.originId },
        },
      }),
    );
  }

  /** Keeps a dead-lettered event out of sight as long as SQS allows, so it is not read every minute. */
  async holdInDeadLetters(receiptHandle: string): Promise<void> {
    await this.sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: this.deadLetterQueueUrl,
        ReceiptHandle: receiptHandle,
        VisibilityTimeout: MAX_VISIBILITY_SECONDS,
      }),
    );
  }
}
