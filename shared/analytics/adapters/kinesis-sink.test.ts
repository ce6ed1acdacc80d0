import type {
  KinesisClient,
  PutRecordsCommand,
  PutRecordsOutput,
  PutRecordsResultEntry,
} from '@aws-sdk/client-kinesis';
import { describe, expect, it, vi } from 'vitest';
import type { CallRecord } from '../call-record.ts';
import { UndeliveredRecordsError } from '../record-sink.ts';
import { sampleCallRecord } from '../testing/call-record.fixture.ts';
import { KinesisAnalyticsSink } from './kinesis-sink.ts';

const call = (n: number, over: Partial<CallRecord> = {}): CallRecord =>
  sampleCallRecord({ requestId: `r${n}`, appId: 'app_1', ...over });

const delivered = (): PutRecordsResultEntry => ({ SequenceNumber: '1', ShardId: 'shardId-000000000000' });
const throttled = (): PutRecordsResultEntry => ({
  ErrorCode: 'ProvisionedThroughputExceededException',
  ErrorMessage: 'Rate exceeded for shard',
});

/**
 * A KinesisClient whose PutRecords answers come from `answer`, called with the request ids of each
 * call's records; by default everything is delivered.
 */
function fakeKinesis(
  answer: (requestIds: string[], call: number) => PutRecordsOutput | Error = (ids) => ({
    FailedRecordCount: 0,
    Records: ids.map(delivered),
  }),
) {
  const calls: {
    streamName: string | undefined;
    requestIds: string[];
    partitionKeys: string[];
    bytes: number;
  }[] = [];
  const send = vi.fn(async (command: PutRecordsCommand) => {
    const entries = command.input.Records ?? [];
    const requestIds = entries.map(
      (e) => (JSON.parse(Buffer.from(e.Data!).toString('utf8')) as CallRecord).requestId,
    );
    calls.push({
      streamName: command.input.StreamName,
      requestIds,
      partitionKeys: entries.map((e) => e.PartitionKey!),
      bytes: entries.reduce((sum, e) => sum + e.Data!.length + Buffer.byteLength(e.PartitionKey!), 0),
    });
    const result = answer(requestIds, calls.length);
    if (result instanceof Error) throw result;
    return result;
  });
  return { client: { send } as unknown as KinesisClient, calls };
}

/** Refuses the given request ids on every call. */
const refusing =
  (refused: string[]) =>
  (ids: string[]): PutRecordsOutput => ({
    FailedRecordCount: ids.filter((id) => refused.includes(id)).length,
    Records: ids.map((id) => (refused.includes(id) ? throttled() : delivered())),
  });

const noWait = () => vi.fn(async (_ms: number) => {});

describe('KinesisAnalyticsSink', () => {
  it('puts records on the stream keyed by app, else source address, else request id', async () => {
    const { client, calls } = fakeKinesis();
    const sink = new KinesisAnalyticsSink(client, 'calls');
    await sink.send([
      call(1),
      call(2, { appId: undefined, sourceIp: '203.0.113.9' }),
      call(3, { appId: undefined, sourceIp: '' }),
    ]);
    expect(calls).toEqual([
      expect.objectContaining({
        streamName: 'calls',
        requestIds: ['r1', 'r2', 'r3'],
        partitionKeys: ['app_1', '203.0.113.9', 'r3'],
      }),
    ]);
  });

  it('retries only the entries a call refused, after a short wait', async () => {
    const { client, calls } = fakeKinesis((ids, n) =>
      n === 1 ? refusing(['r2', 'r4'])(ids) : refusing([])(ids),
    );
    const sleep = noWait();
    const sink = new KinesisAnalyticsSink(client, 'calls', { sleep });
    await sink.send([1, 2, 3, 4, 5].map((n) => call(n)));
    expect(calls.map((c) => c.requestIds)).toEqual([
      ['r1', 'r2', 'r3', 'r4', 'r5'],
      ['r2', 'r4'],
    ]);
    expect(sleep.mock.calls).toEqual([[50]]);
  });

  it('gives up after two retries, naming how many records were lost and which', async () => {
    const { client, calls } = fakeKinesis((ids) => refusing(['r1', 'r3'])(ids));
    const sleep = noWait();
    const sink = new KinesisAnalyticsSink(client, 'calls', { sleep });
    const records = [1, 2, 3].map((n) => call(n));

    const error = await sink.send(records).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UndeliveredRecordsError);
    expect((error as Error).message).toBe(
      '2 of 3 analytics records were not delivered to calls (ProvisionedThroughputExceededException)',
    );
    expect((error as UndeliveredRecordsError).undelivered).toEqual([records[0], records[2]]);
    expect((error as UndeliveredRecordsError).undelivered[0]).toBe(records[0]);
    expect(calls.map((c) => c.requestIds)).toEqual([
      ['r1', 'r2', 'r3'],
      ['r1', 'r3'],
      ['r1', 'r3'],
    ]);
    expect(sleep.mock.calls).toEqual([[50], [200]]);
  });

  it('retries every entry of a refused call that does not say which entries failed', async () => {
    const { client, calls } = fakeKinesis((ids, n) =>
      n === 1 ? { FailedRecordCount: 1, Records: undefined } : refusing([])(ids),
    );
    await new KinesisAnalyticsSink(client, 'calls', { sleep: noWait() }).send([call(1), call(2)]);
    expect(calls.map((c) => c.requestIds)).toEqual([
      ['r1', 'r2'],
      ['r1', 'r2'],
    ]);
  });

  it('splits into calls of at most 500 records', async () => {
    const { client, calls } = fakeKinesis();
    await new KinesisAnalyticsSink(client, 'calls').send(Array.from({ length: 1_201 }, (_, n) => call(n)));
    expect(calls.map((c) => c.requestIds.length)).toEqual([500, 500, 201]);
    expect(calls.flatMap((c) => c.requestIds)).toEqual(Array.from({ length: 1_201 }, (_, n) => `r${n}`));
  });

  it('splits into calls of at most 5 MiB', async () => {
    const { client, calls } = fakeKinesis();
    const big = (n: number) => call(n, { path: 'x'.repeat(600 * 1024) });
    await new KinesisAnalyticsSink(client, 'calls').send(Array.from({ length: 10 }, (_, n) => big(n)));
    expect(calls.map((c) => c.requestIds.length)).toEqual([8, 2]);
    expect(Math.max(...calls.map((c) => c.bytes))).toBeLessThanOrEqual(5 * 1024 * 1024);
  });

  it('reports a record over 1 MiB as undelivered without sending it', async () => {
    const { client, calls } = fakeKinesis();
    const huge = call(2, { path: 'x'.repeat(1024 * 1024) });
    const error = await new KinesisAnalyticsSink(client, 'calls')
      .send([call(1), huge])
      .catch((e: unknown) => e as UndeliveredRecordsError);
    expect(error).toBeInstanceOf(UndeliveredRecordsError);
    expect((error as UndeliveredRecordsError).undelivered).toEqual([huge]);
    expect(calls.map((c) => c.requestIds)).toEqual([['r1']]);
  });

  it('when a call fails outright, names its records and the ones after it as undelivered', async () => {
    const outage = Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
    const { client, calls } = fakeKinesis((ids, n) => (n === 2 ? outage : refusing([])(ids)));
    const records = Array.from({ length: 1_100 }, (_, n) => call(n));

    const error = (await new KinesisAnalyticsSink(client, 'calls')
      .send(records)
      .catch((e: unknown) => e)) as UndeliveredRecordsError;
    expect(error).toBeInstanceOf(UndeliveredRecordsError);
    expect(error.message).toBe('600 of 1100 analytics records were not delivered to calls (TimeoutError)');
    expect(error.cause).toBe(outage);
    expect(error.undelivered).toEqual(records.slice(500));
    expect(calls).toHaveLength(2);
  });
});
