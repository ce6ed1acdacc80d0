import {
  type _Record,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
} from '@aws-sdk/client-kinesis';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
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
 *
 * Messages with a message group (the delivery queue: one group per subscription) are handed out as an
 * SQS fair queue does, which moto does not do (`FairDispatch`).
 */
/** A message handed to a container after waiting longer than this gets its visibility timeout renewed. */
const RENEW_AFTER_WAIT_MS = 1_000;

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
  const containers = Math.max(1, options.concurrency ?? 1);
  const batchSize = Math.min(10, options.batchSize);
  const dispatch = new FairDispatch({ containers, batchSize });
  /** When each message waiting in the dispatch was received (its visibility timeout runs from then). */
  const receivedAt = new Map<string, number>();
  /**
   * Messages a container is running now. One received again meanwhile (its visibility ran out) is not
   * run a second time alongside: the running copy settles it, or it comes back once more later.
   */
  const running = new Set<string>();
  let visibilitySeconds = options.visibilityTimeoutSeconds;
  let receiving = 0;
  let lastReceiveEmpty = true;
  const pollers = Array.from({ length: containers }, (_, container) =>
    loop(
      async (signal) => {
        visibilitySeconds ??= await queueVisibility(aws, options.queueUrl);
        const batch = dispatch.take(Date.now(), Math.min(60_000, (visibilitySeconds * 1000) / 2));
        if (batch) {
          const started = Date.now();
          try {
            for (const m of batch) running.add(m.MessageId!);
            await renewVisibility(batch, visibilitySeconds, started);
            await processBatch(batch, container);
          } finally {
            for (const m of batch) {
              receivedAt.delete(m.MessageId!);
              running.delete(m.MessageId!);
            }
            dispatch.done(batch, Date.now() - started);
            options.leases?.settle(
              options.queueUrl,
              batch.map((m) => m.ReceiptHandle!),
            );
          }
          return;
        }
        // An idle queue is long-polled by one container at a time; the others wait for what it gets.
        if (!dispatch.hasRoom() || (lastReceiveEmpty && receiving > 0)) {
          await dispatch.changed(signal);
          return;
        }
        receiving++;
        const { Messages = [] } = await aws.sqs
          .send(
            new ReceiveMessageCommand({
              QueueUrl: options.queueUrl,
              MaxNumberOfMessages: batchSize,
              WaitTimeSeconds: 1,
              ...(options.visibilityTimeoutSeconds !== undefined
                ? { VisibilityTimeout: options.visibilityTimeoutSeconds }
                : {}),
              MessageSystemAttributeNames: ['All'],
              MessageAttributeNames: ['All'],
            }),
            { abortSignal: signal },
          )
          .finally(() => receiving--);
        lastReceiveEmpty = Messages.length === 0;
        if (Messages.length === 0) return;
        options.leases?.hold(
          options.queueUrl,
          Messages.map((m) => m.ReceiptHandle!),
        );
        const again = Messages.filter((m) => running.has(m.MessageId!));
        if (again.length > 0) {
          options.leases?.settle(
            options.queueUrl,
            again.map((m) => m.ReceiptHandle!),
          );
        }
        const fresh = Messages.filter((m) => !running.has(m.MessageId!));
        for (const m of fresh) receivedAt.set(m.MessageId!, Date.now());
        dispatch.add(fresh, Date.now());
      },
      log,
      `poller ${options.functionId}`,
    ),
  );
  return {
    stop: async () => {
      await Promise.all(pollers.map((p) => p.stop()));
      // What was received but not yet handed to a container goes back at once, not after its timeout.
      const left = dispatch.drain();
      for (let i = 0; i < left.length; i += 10) {
        const batch = left.slice(i, i + 10);
        await aws.sqs
          .send(
            new ChangeMessageVisibilityBatchCommand({
              QueueUrl: options.queueUrl,
              Entries: batch.map((m, n) => ({
                Id: String(n),
                ReceiptHandle: m.ReceiptHandle!,
                VisibilityTimeout: 0,
              })),
            }),
          )
          .catch(() => undefined);
        options.leases?.settle(
          options.queueUrl,
          batch.map((m) => m.ReceiptHandle!),
        );
      }
    },
  };

  /**
   * A message that waited in the dispatch has used part of its visibility timeout; Lambda's poller
   * invokes at once, so its function has the whole timeout. Renewed here before the batch runs, or the
   * message would come due again mid-run and be handed to a second container (sent twice).
   */
  async function renewVisibility(batch: Message[], seconds: number, now: number): Promise<void> {
    const waited = batch.filter((m) => now - (receivedAt.get(m.MessageId!) ?? now) > RENEW_AFTER_WAIT_MS);
    if (waited.length === 0) return;
    await aws.sqs
      .send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: options.queueUrl,
          Entries: waited.map((m, n) => ({
            Id: String(n),
            ReceiptHandle: m.ReceiptHandle!,
            VisibilityTimeout: seconds,
          })),
        }),
      )
      .catch((error: Error) =>
        log(`visibility of ${waited.length} waiting message(s) not renewed: ${error.message}`),
      );
  }

  async function processBatch(messages: Message[], container: number): Promise<void> {
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

async function queueVisibility(aws: LocalClients, queueUrl: string): Promise<number> {
  const { Attributes = {} } = await aws.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['VisibilityTimeout'] }),
  );
  return Number(Attributes.VisibilityTimeout ?? 30) || 30;
}

/** A group whose last batch took less than this may share a batch with other such groups. */
const QUICK_BATCH_MS = 5_000;
/** A group that had a message within this counts as having work when the containers are shared. */
const ACTIVE_GROUP_MS = 30_000;

interface Waiting {
  message: Message;
  group: string;
  since: number;
}

/**
 * What an SQS fair queue does for a consumer, done here because moto hands messages out in the order
 * they were sent: with a backlog in one message group (a flooded subscription), messages of the other
 * groups are not kept waiting behind it (their dwell time stays low), and no group holds every
 * container. Messages without a group (the other queues) are handed out as they come, as before.
 *
 * - Each group may be in at most its share of the containers at once (containers ÷ groups with work in
 *   the last 30 s, rounded up; all of them when it is alone), and only groups whose last batch was
 *   quick share a batch: a group whose receiver hangs (its batch held for the whole send timeout), or
 *   one not seen through yet, has batches of its own, so it holds its share of the containers and no
 *   one else's deliveries.
 * - The next batch goes to the group with the fewest batches in flight, then the longest waiting.
 * - A message that has waited here for `maxWaitMs` goes first, whatever its group's share; its
 *   visibility timeout is renewed when it is handed to a container (see `renewVisibility`).
 *
 * What it does not do: look past a backlog still in the queue. Putting a group's surplus back (a
 * visibility change) did, but every such receive counts towards the redrive limit and a message back
 * in the queue can be received again while its first copy runs: deliveries were sent twice.
 */
export class FairDispatch {
  private readonly waiting: Waiting[] = [];
  /** Batches in flight that hold a message of the group. */
  private readonly inFlight = new Map<string, number>();
  /** When each group last had a message here: a group that sends now and then still counts. */
  private readonly lastSeen = new Map<string, number>();
  /** How long each group's last batch took. */
  private readonly lastBatchMs = new Map<string, number>();
  private wake: (() => void)[] = [];

  constructor(private readonly options: { containers: number; batchSize: number }) {}

  /** Whether a container may receive more. */
  hasRoom(): boolean {
    return this.waiting.length < 2 * this.options.containers * this.options.batchSize;
  }

  /** Takes received messages in. */
  add(messages: Message[], now: number): void {
    for (const message of messages) {
      const group = message.Attributes?.MessageGroupId ?? '';
      // Back again while still waiting here (its visibility ran out): the newer receipt replaces it.
      const known = this.waiting.findIndex((w) => w.message.MessageId === message.MessageId);
      if (known >= 0) {
        this.waiting[known]!.message = message;
        continue;
      }
      this.waiting.push({ message, group, since: now });
      if (group !== '') this.lastSeen.set(group, now);
    }
    this.notify();
  }

  /** The next batch a free container should process, if any is allowed now. */
  take(now: number, maxWaitMs: number): Message[] | undefined {
    if (this.waiting.length === 0) return undefined;
    for (const [group, at] of this.lastSeen) if (at < now - ACTIVE_GROUP_MS) this.lastSeen.delete(group);
    const groups = new Set([
      ...this.waiting.map((w) => w.group),
      ...this.inFlight.keys(),
      ...this.lastSeen.keys(),
    ]);
    groups.delete('');
    const share = Math.max(1, Math.ceil(this.options.containers / Math.max(1, groups.size)));
    const oldest = new Map<string, number>();
    for (const w of this.waiting) if (!oldest.has(w.group)) oldest.set(w.group, w.since);
    const order = [...oldest.keys()].sort(
      (a, b) => (this.inFlight.get(a) ?? 0) - (this.inFlight.get(b) ?? 0) || oldest.get(a)! - oldest.get(b)!,
    );
    // A message that waited too long goes first, with its group's others.
    const overdue = this.waiting.find((w) => now - w.since >= maxWaitMs);
    const group = overdue
      ? overdue.group
      : order.find((g) => g === '' || (this.inFlight.get(g) ?? 0) < share);
    if (group === undefined) return undefined;
    const picked = new Set<Waiting>();
    const fill = (from: string) => {
      for (const w of this.waiting) {
        if (picked.size >= this.options.batchSize) break;
        if (w.group === from) picked.add(w);
      }
    };
    fill(group);
    // Groups whose last batch was quick may share a batch (fewer, fuller batches); a slow or new one
    // is not mixed with others, so it can hold only its own share of the containers.
    if (this.quick(group)) {
      for (const other of order) {
        if (other !== group && this.quick(other) && (this.inFlight.get(other) ?? 0) < share) fill(other);
      }
    }
    if (picked.size === 0) return undefined;
    const batch = [...picked];
    this.waiting.splice(0, this.waiting.length, ...this.waiting.filter((w) => !picked.has(w)));
    for (const group of new Set(batch.map((w) => w.group))) {
      this.inFlight.set(group, (this.inFlight.get(group) ?? 0) + 1);
    }
    return batch.map((w) => w.message);
  }

  /** Everything still waiting, which is forgotten. */
  drain(): Message[] {
    return this.waiting.splice(0).map((w) => w.message);
  }

  /** Whether the group's last batch took less than QUICK_BATCH_MS (ungrouped messages always are). */
  private quick(group: string): boolean {
    return group === '' || (this.lastBatchMs.get(group) ?? Number.POSITIVE_INFINITY) < QUICK_BATCH_MS;
  }

  /** A batch is settled: its groups get their containers back. */
  done(batch: Message[], tookMs = 0): void {
    for (const group of new Set(batch.map((m) => m.Attributes?.MessageGroupId ?? ''))) {
      if (group !== '') this.lastBatchMs.set(group, tookMs);
    }
    for (const group of new Set(batch.map((m) => m.Attributes?.MessageGroupId ?? ''))) {
      const left = (this.inFlight.get(group) ?? 1) - 1;
      if (left > 0) this.inFlight.set(group, left);
      else this.inFlight.delete(group);
    }
    this.notify();
  }

  /** Resolves when messages come in or a batch settles, or after a second. */
  changed(signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, 1_000);
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
      this.wake.push(done);
    });
  }

  private notify(): void {
    const waking = this.wake;
    this.wake = [];
    for (const resolve of waking) resolve();
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
    /** Records are gathered this long (from the first) unless `batchSize` come sooner, as Lambda does. */
    maxBatchingWindowSeconds?: number;
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
        const windowMs = (options.maxBatchingWindowSeconds ?? 0) * 1000;
        const Records: _Record[] = [];
        let firstAt = 0;
        for (;;) {
          const page = await aws.kinesis.send(
            new GetRecordsCommand({ ShardIterator: iterator, Limit: options.batchSize - Records.length }),
            { abortSignal: signal },
          );
          iterator = page.NextShardIterator;
          if (Records.length === 0 && page.Records?.length) firstAt = Date.now();
          Records.push(...(page.Records ?? []));
          if (Records.length >= options.batchSize || (Records.length > 0 && Date.now() - firstAt >= windowMs))
            break;
          if (Records.length === 0) {
            await sleep(250, signal);
            return;
          }
          await sleep(Math.min(250, windowMs - (Date.now() - firstAt)), signal);
        }
        let batch: _Record[] = Records;
        for (let attempt = 0; batch.length > 0; attempt++) {
          const failedFrom = await invokeBatch(shard.ShardId!, batch);
          if (failedFrom === undefined) return;
          if (attempt >= options.maximumRetryAttempts) {
            await reportFailure(shard.ShardId!, batch);
            return;
          }
          // Lambda backs off between retries of a stream batch too; a long outage is not retried hot.
          await sleep(Math.min(5_000, 100 * 2 ** attempt), signal);
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

  async function invokeBatch(shardId: string, batch: _Record[]): Promise<string | undefined> {
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
        eventID: `${shardId}:${r.SequenceNumber}`,
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
