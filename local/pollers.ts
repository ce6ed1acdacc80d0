import {
  type _Record,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
} from '@aws-sdk/client-kinesis';
import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import type { KinesisStreamEvent, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { LocalClients } from './aws.ts';
import type { LambdaHost } from './lambda-host.ts';
import type { LeaseJournal } from './leases.ts';
import { LOCAL_REGION } from './template.ts';

export interface Poller {
  stop(): Promise<void>;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });

function loop(
  body: (signal: AbortSignal) => Promise<void>,
  log: (line: string) => void,
  what: string,
): Poller {
  const controller = new AbortController();
  const done = (async () => {
    while (!controller.signal.aborted) {
      try {
        await body(controller.signal);
      } catch (error) {
        if (!controller.signal.aborted) log(`${what}: ${(error as Error).message}`);
        await sleep(1000, controller.signal);
      }
    }
  })();
  return {
    stop: async () => {
      controller.abort();
      await done;
    },
  };
}

/**
 * An SQS event-source mapping: receive up to `batchSize`, invoke, delete what succeeded. With
 * ReportBatchItemFailures only the reported messages stay; a thrown error leaves the whole batch to
 * reappear after the visibility timeout, and the queue's redrive policy moves repeated failures to
 * its dead-letter queue — as Lambda does.
 */
export function pollQueue(
  options: {
    functionId: string;
    queueUrl: string;
    queueArn: string;
    batchSize: number;
    maxBatchingWindowSeconds: number;
    reportBatchItemFailures: boolean;
    /**
     * Batches processed at once, each in its own container of the function (LambdaHost): Lambda starts
     * an SQS mapping with five concurrent batches. 1 by default.
     */
    concurrency?: number;
    /** Where received, unsettled messages are written down so that a restart can hand them back. */
    leases?: LeaseJournal;
    /** Overrides the queue's visibility timeout on each receive (tests only; unset, the queue's applies). */
    visibilityTimeoutSeconds?: number;
  },
  aws: LocalClients,
  host: LambdaHost,
  log: (line: string) => void,
): Poller {
  const pollers = Array.from({ length: Math.max(1, options.concurrency ?? 1) }, (_, container) =>
    pollQueueInContainer(options, container, aws, host, log),
  );
  return { stop: async () => void (await Promise.all(pollers.map((p) => p.stop()))) };
}

function pollQueueInContainer(
  options: Parameters<typeof pollQueue>[0],
  container: number,
  aws: LocalClients,
  host: LambdaHost,
  log: (line: string) => void,
): Poller {
  return loop(
    async (signal) => {
      const { Messages = [] } = await aws.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: options.queueUrl,
          MaxNumberOfMessages: Math.min(10, options.batchSize),
          WaitTimeSeconds: 1,
          ...(options.visibilityTimeoutSeconds !== undefined
            ? { VisibilityTimeout: options.visibilityTimeoutSeconds }
            : {}),
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
        { abortSignal: signal },
      );
      if (Messages.length === 0) return;
      const handles = Messages.map((m) => m.ReceiptHandle!);
      options.leases?.hold(options.queueUrl, handles);
      try {
        await processBatch(Messages);
      } finally {
        options.leases?.settle(options.queueUrl, handles);
      }
    },
    log,
    `poller ${options.functionId}`,
  );

  async function processBatch(messages: Message[]): Promise<void> {
    const event: SQSEvent = {
      Records: messages.map((m) => ({
        messageId: m.MessageId!,
        receiptHandle: m.ReceiptHandle!,
        body: m.Body ?? '',
        attributes: (m.Attributes ?? {}) as never,
        messageAttributes: (m.MessageAttributes ?? {}) as never,
        md5OfBody: m.MD5OfBody ?? '',
        eventSource: 'aws:sqs',
        eventSourceARN: options.queueArn,
        awsRegion: LOCAL_REGION,
      })),
    };
    let failed = new Set<string>();
    try {
      const response = (await host.invoke(options.functionId, event, { exclusive: true, container })) as
        | SQSBatchResponse
        | undefined;
      if (options.reportBatchItemFailures) {
        failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
      }
    } catch (error) {
      log(`${options.functionId} failed on a batch of ${messages.length}: ${(error as Error).message}`);
      return;
    }
    const done = messages.filter((m) => !failed.has(m.MessageId!));
    if (done.length > 0) {
      await aws.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: options.queueUrl,
          Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
        }),
      );
    }
  }
}

/**
 * A Kinesis event-source mapping for each shard: batches in order, a failed batch retried up to
 * `maximumRetryAttempts` (from the first reported failure when the function reports item failures),
 * then described on the on-failure queue and skipped.
 */
export async function pollStream(
  options: {
    functionId: string;
    streamName: string;
    streamArn: string;
    batchSize: number;
    startingPosition: 'TRIM_HORIZON' | 'LATEST';
    maximumRetryAttempts: number;
    onFailureQueueUrl?: string;
  },
  aws: LocalClients,
  host: LambdaHost,
  log: (line: string) => void,
): Promise<Poller> {
  const { Shards = [] } = await aws.kinesis.send(new ListShardsCommand({ StreamName: options.streamName }));
  const pollers = Shards.map((shard) => {
    let iterator: string | undefined;
    const iteratorAt = async (
      type: 'TRIM_HORIZON' | 'LATEST' | 'AT_SEQUENCE_NUMBER' | 'AFTER_SEQUENCE_NUMBER',
      seq?: string,
    ) =>
      (
        await aws.kinesis.send(
          new GetShardIteratorCommand({
            StreamName: options.streamName,
            ShardId: shard.ShardId!,
            ShardIteratorType: type,
            ...(seq ? { StartingSequenceNumber: seq } : {}),
          }),
        )
      ).ShardIterator;
    return loop(
      async (signal) => {
        iterator ??= await iteratorAt(options.startingPosition);
        const { Records = [], NextShardIterator } = await aws.kinesis.send(
          new GetRecordsCommand({ ShardIterator: iterator, Limit: options.batchSize }),
          { abortSignal: signal },
        );
        iterator = NextShardIterator;
        if (Records.length === 0) {
          await sleep(250, signal);
          return;
        }
        let batch: _Record[] = Records;
        for (let attempt = 0; batch.length > 0; attempt++) {
          const failedFrom = await invokeBatch(batch);
          if (failedFrom === undefined) return;
          if (attempt >= options.maximumRetryAttempts) {
            await reportFailure(shard.ShardId!, batch);
            return;
          }
          batch = batch.slice(
            Math.max(
              0,
              batch.findIndex((r) => r.SequenceNumber === failedFrom),
            ),
          );
        }
      },
      log,
      `stream poller ${options.functionId}`,
    );
  });

  async function invokeBatch(batch: _Record[]): Promise<string | undefined> {
    const event: KinesisStreamEvent = {
      Records: batch.map((r) => ({
        kinesis: {
          kinesisSchemaVersion: '1.0',
          partitionKey: r.PartitionKey!,
          sequenceNumber: r.SequenceNumber!,
          data: Buffer.from(r.Data ?? new Uint8Array()).toString('base64'),
          approximateArrivalTimestamp: (r.ApproximateArrivalTimestamp ?? new Date()).getTime() / 1000,
        },
        eventSource: 'aws:kinesis',
        eventVersion: '1.0',
        eventID: `shard:${r.SequenceNumber}`,
        eventName: 'aws:kinesis:record',
        invokeIdentityArn: 'arn:aws:iam::000000000000:role/local',
        awsRegion: LOCAL_REGION,
        eventSourceARN: options.streamArn,
      })),
    };
    try {
      const response = (await host.invoke(options.functionId, event, { exclusive: true })) as
        | SQSBatchResponse
        | undefined;
      const failures = response?.batchItemFailures ?? [];
      return failures.length > 0 ? failures[0]!.itemIdentifier : undefined;
    } catch (error) {
      log(`${options.functionId} failed on ${batch.length} stream records: ${(error as Error).message}`);
      return batch[0]!.SequenceNumber;
    }
  }

  async function reportFailure(shardId: string, batch: _Record[]) {
    log(`${options.functionId}: giving up on ${batch.length} stream records after retries`);
    if (!options.onFailureQueueUrl) return;
    await aws.sqs.send(
      new SendMessageCommand({
        QueueUrl: options.onFailureQueueUrl,
        MessageBody: JSON.stringify({
          requestContext: { condition: 'RetryAttemptsExhausted', functionArn: options.functionId },
          KinesisBatchInfo: {
            shardId,
            startSequenceNumber: batch[0]!.SequenceNumber,
            endSequenceNumber: batch.at(-1)!.SequenceNumber,
            batchSize: batch.length,
            streamArn: options.streamArn,
          },
        }),
      }),
    );
  }

  return { stop: async () => void (await Promise.all(pollers.map((p) => p.stop()))) };
}
