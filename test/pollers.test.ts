import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
} from '@aws-sdk/client-sqs';
import type { KinesisStreamEvent, SQSEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import type { LambdaHost } from '../local/lambda-host.ts';
import { type Poller, pollQueue, pollStream } from '../local/pollers.ts';
import { aws, uniqueName } from './support/platform.ts';
import { eventually } from './support/wait.ts';

/** A stand-in for the Lambda host that records every batch and answers as the test says. */
function fakeHost(answer: (event: any, call: number) => unknown) {
  const batches: any[] = [];
  const host = {
    invoke: async (_id: string, event: unknown) => {
      batches.push(event);
      const result = answer(event, batches.length);
      if (result instanceof Error) throw result;
      return result;
    },
  } as unknown as LambdaHost;
  return { host, batches };
}

const log = () => {};
let poller: Poller | undefined;
afterEach(async () => {
  await poller?.stop();
  poller = undefined;
});

async function queuePair(maxReceiveCount: number) {
  const { sqs } = aws();
  const name = uniqueName('t');
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }));
  const dlqArn = (
    await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }))
  ).Attributes!.QueueArn!;
  const queue = await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: {
        VisibilityTimeout: '1',
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount }),
      },
    }),
  );
  const arn = (
    await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.QueueUrl, AttributeNames: ['QueueArn'] }))
  ).Attributes!.QueueArn!;
  return { url: queue.QueueUrl!, arn, dlqUrl: dlq.QueueUrl! };
}

const send = (url: string, bodies: string[]) =>
  aws().sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: url,
      Entries: bodies.map((b, i) => ({ Id: String(i), MessageBody: b })),
    }),
  );

async function drain(url: string): Promise<string[]> {
  const { Messages = [] } = await aws().sqs.send(
    new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }),
  );
  return Messages.map((m) => m.Body!);
}

describe('SQS event-source mapping poller', () => {
  it('honours the batch size, deletes successes and retries only reported failures until the DLQ takes them', async () => {
    const queue = await queuePair(2);
    await send(queue.url, ['ok-1', 'poison', 'ok-2', 'ok-3']);
    const { host, batches } = fakeHost((event: SQSEvent) => ({
      batchItemFailures: event.Records.filter((r) => r.body === 'poison').map((r) => ({
        itemIdentifier: r.messageId,
      })),
    }));
    poller = pollQueue(
      {
        functionId: 'f',
        queueUrl: queue.url,
        queueArn: queue.arn,
        batchSize: 3,
        maxBatchingWindowSeconds: 0,
        reportBatchItemFailures: true,
      },
      aws(),
      host,
      log,
    );
    const deadLettered = await eventually(async () => {
      const dead = await drain(queue.dlqUrl);
      return dead.length ? dead : undefined;
    }, 30_000);
    expect(deadLettered).toEqual(['poison']);
    const seen = batches.flatMap((b: SQSEvent) => b.Records.map((r) => r.body));
    expect(batches.every((b: SQSEvent) => b.Records.length <= 3)).toBe(true);
    expect(seen.filter((b) => b.startsWith('ok')).sort()).toEqual(['ok-1', 'ok-2', 'ok-3']);
    expect(seen.filter((b) => b === 'poison')).toHaveLength(2);
    expect(batches[0].Records[0]).toMatchObject({ eventSource: 'aws:sqs', eventSourceARN: queue.arn });
  }, 60_000);

  it('leaves a whole batch for retry when the function throws', async () => {
    const queue = await queuePair(5);
    await send(queue.url, ['a', 'b']);
    const { host, batches } = fakeHost((_e, call) => (call === 1 ? new Error('cold dependency') : undefined));
    poller = pollQueue(
      {
        functionId: 'f',
        queueUrl: queue.url,
        queueArn: queue.arn,
        batchSize: 10,
        maxBatchingWindowSeconds: 0,
        reportBatchItemFailures: true,
      },
      aws(),
      host,
      log,
    );
    await eventually(async () => {
      const bodies = batches.slice(1).flatMap((b: SQSEvent) => b.Records.map((r) => r.body));
      return ['a', 'b'].every((x) => bodies.includes(x)) ? true : undefined;
    }, 30_000);
    await poller.stop();
    poller = undefined;
    expect(await drain(queue.url)).toEqual([]);
  }, 60_000);

  it('long-polls an idle queue from one container at a time, and runs batches in parallel once messages come', async () => {
    const queue = await queuePair(5);
    const clients = aws();
    let receiving = 0;
    let mostReceiving = 0;
    let receives = 0;
    const sqs = {
      send: async (command: unknown, options?: unknown) => {
        if (!(command instanceof ReceiveMessageCommand))
          return clients.sqs.send(command as never, options as never);
        receives++;
        mostReceiving = Math.max(mostReceiving, ++receiving);
        try {
          return await clients.sqs.send(command, options as never);
        } finally {
          receiving--;
        }
      },
    };
    let running = 0;
    let mostRunning = 0;
    const processed: string[] = [];
    const host = {
      invoke: async (_id: string, event: SQSEvent) => {
        mostRunning = Math.max(mostRunning, ++running);
        await new Promise((resolve) => setTimeout(resolve, 300));
        running--;
        processed.push(...event.Records.map((r) => r.body));
        return { batchItemFailures: [] };
      },
    } as unknown as LambdaHost;
    poller = pollQueue(
      {
        functionId: 'f',
        queueUrl: queue.url,
        queueArn: queue.arn,
        batchSize: 2,
        maxBatchingWindowSeconds: 0,
        reportBatchItemFailures: true,
        concurrency: 5,
        visibilityTimeoutSeconds: 30,
      },
      { ...clients, sqs } as unknown as typeof clients,
      host,
      log,
    );
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(mostReceiving).toBe(1);
    expect(receives).toBeLessThanOrEqual(5);
    const bodies = Array.from({ length: 20 }, (_, i) => `m${i}`);
    await send(queue.url, bodies.slice(0, 10));
    await send(queue.url, bodies.slice(10));
    await eventually(async () => (processed.length >= 20 ? true : undefined), 30_000);
    expect(processed.sort()).toEqual([...bodies].sort());
    expect(mostRunning).toBeGreaterThan(1);
  }, 60_000);
});

describe('Kinesis event-source mapping poller', () => {
  async function stream(records: string[]) {
    const { kinesis } = aws();
    const name = uniqueName('t');
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    const arn = await eventually(async () => {
      const { StreamDescriptionSummary: s } = await kinesis.send(
        new DescribeStreamSummaryCommand({ StreamName: name }),
      );
      return s?.StreamStatus === 'ACTIVE' ? s.StreamARN : undefined;
    });
    await kinesis.send(
      new PutRecordsCommand({
        StreamName: name,
        Records: records.map((r) => ({ Data: Buffer.from(r), PartitionKey: 'p' })),
      }),
    );
    return { name, arn: arn! };
  }
  const dataOf = (event: KinesisStreamEvent) =>
    event.Records.map((r) => Buffer.from(r.kinesis.data, 'base64').toString());

  it('delivers in order, retries from the first reported failure, then describes the batch on the on-failure queue', async () => {
    const s = await stream(['r1', 'r2', 'bad', 'r4']);
    const failures = await queuePair(5);
    const { host, batches } = fakeHost((event: KinesisStreamEvent) => {
      const bad = event.Records.find((r) => Buffer.from(r.kinesis.data, 'base64').toString() === 'bad');
      return { batchItemFailures: bad ? [{ itemIdentifier: bad.kinesis.sequenceNumber }] : [] };
    });
    poller = await pollStream(
      {
        functionId: 'f',
        streamName: s.name,
        streamArn: s.arn,
        batchSize: 10,
        startingPosition: 'TRIM_HORIZON',
        maximumRetryAttempts: 2,
        onFailureQueueUrl: failures.url,
      },
      aws(),
      host,
      log,
    );
    const [report] = await eventually(async () => {
      const bodies = await drain(failures.url);
      return bodies.length ? bodies : undefined;
    }, 30_000);
    expect(JSON.parse(report!).KinesisBatchInfo).toMatchObject({ batchSize: 2, streamArn: s.arn });
    expect(batches.map(dataOf)).toEqual([
      ['r1', 'r2', 'bad', 'r4'],
      ['bad', 'r4'],
      ['bad', 'r4'],
    ]);
  }, 60_000);
});
