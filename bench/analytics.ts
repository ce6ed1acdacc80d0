/**
 * Analytics benchmark (`npm run bench:analytics`), each part against a baseline of the same run:
 *
 *   1. what recording adds to a request: `Gateway.handle` with the call record and the request-log
 *      capture going to batching recorders and the real sinks (Kinesis; Firehose, which redacts), their
 *      clients accepting at once, vs the same pipeline with recording switched off;
 *   2. the cost of a request-log line when it is sent (redaction of a 2 KB JSON body and headers), vs
 *      plain JSON serialisation of the same record;
 *   3. aggregation of a 2,000-record stream batch into cells (decode, fold, one write per cell to an
 *      in-memory store), vs decoding the same batch only; cells written per record;
 *   4. percentile accuracy of the stored latency sketch against exact percentiles of 100,000 latencies;
 *   5. on the local emulator: records per second through the aggregator (read from a stream, folded,
 *      written to the analytics table) vs raw Kinesis put + get of the same records.
 *
 * Parts 1–4 run in process; part 5 starts the local platform on free ports (127.0.0.1). Every loop is
 * bounded in count and time. Ends with one JSON line.
 */
import type { FirehoseClient } from '@aws-sdk/client-firehose';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import { localClients } from '../local/aws.ts';
import { DynamoAggregateStore } from '../shared/analytics/adapters/dynamo-aggregate-store.ts';
import { FirehoseRequestLogSink } from '../shared/analytics/adapters/firehose-request-log-sink.ts';
import { KinesisAnalyticsSink } from '../shared/analytics/adapters/kinesis-sink.ts';
import { aggregateStream, type StreamRecord } from '../shared/analytics/aggregate-stream.ts';
import { BatchingRecorder } from '../shared/analytics/batching-recorder.ts';
import { type CallRecord, decodeAnalyticsRecord } from '../shared/analytics/call-record.ts';
import {
  bucketKey,
  exactPercentile,
  percentile,
  RELATIVE_ACCURACY,
} from '../shared/analytics/latency-sketch.ts';
import {
  type CallCapture,
  DEFAULT_REQUEST_LOG_POLICY,
  requestLogOf,
} from '../shared/analytics/request-log.ts';
import { sampleCallRecord } from '../shared/analytics/testing/call-record.fixture.ts';
import { MemoryAggregateStore } from '../shared/analytics/testing/memory-aggregate-store.ts';
import { invokeGateway } from '../shared/gateway/http/api-gateway.ts';
import type { UpstreamTransport } from '../shared/gateway/ports.ts';
import { gatewayEvent, inMemoryGateway } from '../shared/gateway/testing/in-memory-gateway.ts';
import { startQuietRuntime } from './support/local-platform.ts';
import {
  formatNumber,
  formatTable,
  type Measurement,
  machineInfo,
  measure,
  round,
} from './support/measure.ts';

const bounds = {
  warmUp: { maxIterations: 2_000, maxMs: 1_500 },
  run: { maxIterations: 20_000, maxMs: 3_000 },
};
const body = Buffer.from(
  JSON.stringify({
    customer: { name: 'Ann', email: 'ann@example.com', password: 'hunter2' },
    items: Array.from({ length: 20 }, (_, i) => ({
      sku: `sku-${i}`,
      qty: i,
      price: 9.99,
      note: 'x'.repeat(40),
    })),
  }),
);
const answerAtOnce: UpstreamTransport = async () => ({
  status: 200,
  headers: { 'content-type': 'application/json' },
  body,
  upstreamLatencyMs: 0,
});

// --- 1. recording on the request path -----------------------------------------------------------------
async function pipeline(recording: boolean) {
  // The real sinks, with clients that accept everything at once: what runs in the gateway's process.
  const serialised = { bytes: 0 };
  const accept = (count: (input: Record<string, unknown[]>) => number) => ({
    send: async (command: { input: Record<string, unknown[]> }) => {
      serialised.bytes += count(command.input);
      return { FailedRecordCount: 0, FailedPutCount: 0 };
    },
  });
  const calls = new BatchingRecorder<CallRecord>(
    new KinesisAnalyticsSink(accept((i) => i.Records!.length) as unknown as KinesisClient, 'analytics'),
  );
  const logs = new BatchingRecorder<CallCapture>(
    new FirehoseRequestLogSink(accept((i) => i.Records!.length) as unknown as FirehoseClient, 'logs'),
  );
  const platform = await inMemoryGateway({
    transport: answerAtOnce,
    recorder: recording ? calls : { record: () => {} },
    requestLog: recording ? logs : null,
  });
  await platform.put({
    name: 'orders',
    requiredScopes: ['orders:write'],
    rateLimits: { appApi: { limit: 1_000_000, windowSeconds: 60 } },
    routes: [{ method: 'POST', path: '/orders' }],
  });
  const app = await platform.newApp(['orders:write']);
  const token = await platform.tokenFor(app);
  const invoke = invokeGateway(platform.gateway);
  const events = Array.from({ length: 256 }, () =>
    gatewayEvent('POST', 'orders', '/orders', {
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      query: 'expand=items',
      body: body.toString(),
    }),
  );
  const first = await invoke(events[0]!);
  if (first.statusCode !== 200) throw new Error(`bench/analytics: the call answered ${first.statusCode}`);
  return {
    op: (i: number) => invoke(events[i % 256]!),
    flush: () => Promise.all([calls.flush(), logs.flush()]),
    serialised,
  };
}

const off = await pipeline(false);
const on = await pipeline(true);
const requestPath: Measurement[] = [
  await measure('baseline: Gateway.handle, recording off', off.op, bounds),
  await measure('Gateway.handle, call record + request log', on.op, bounds),
];
await on.flush();
const added = (key: 'medianUs' | 'p99Us') => requestPath[1]!.latency[key] - requestPath[0]!.latency[key];

// --- 2. a request-log line when it is sent ------------------------------------------------------------
const capture: CallCapture = {
  call: sampleCallRecord({ requestId: 'r1' }),
  spanId: '00f067aa0ba902b7',
  rawQuery: 'expand=items&access_token=abc',
  requestHeaders: {
    authorization: 'Bearer abc.def.ghi',
    'content-type': 'application/json',
    'user-agent': 'bench',
  },
  requestBody: body,
  response: { headers: { 'content-type': 'application/json' }, body },
  policy: DEFAULT_REQUEST_LOG_POLICY,
};
const plain = {
  ...capture,
  requestBody: body.toString(),
  response: { ...capture.response, body: body.toString() },
};
const lines: Measurement[] = [
  await measure('baseline: JSON.stringify of the unredacted capture', () => JSON.stringify(plain), bounds),
  await measure(
    'requestLogOf + JSON.stringify (redacted line)',
    () => JSON.stringify(requestLogOf(capture)),
    bounds,
  ),
];

// --- 3. aggregation of a stream batch -------------------------------------------------------------------
const BATCH = 2_000;
const texts = Array.from({ length: BATCH }, (_, i) =>
  JSON.stringify(
    sampleCallRecord({
      requestId: `r${i}`,
      appId: `app-${i % 50}`,
      api: `api-${i % 10}`,
      route: `GET /r${i % 3}`,
      status: i % 20 === 0 ? 503 : 200,
      latencyMs: 5 + ((i * 7919) % 800),
      timestamp: new Date(Date.UTC(2030, 0, 1, 10, Math.floor(i / 400))).toISOString(),
    }),
  ),
);
const decodeOnly = () => texts.map((t) => decodeAnalyticsRecord(t));
let writes = 0;
let batchNo = 0;
const aggregateBatch = async () => {
  const shard = `bench/shard-${batchNo++}`;
  const records: StreamRecord[] = texts.map((t, i) => ({
    shard,
    sequence: String(i + 1),
    record: decodeAnalyticsRecord(t),
  }));
  writes = (await aggregateStream(new MemoryAggregateStore(), records)).writes;
};
const batchBounds = { warmUp: { maxIterations: 5, maxMs: 2_000 }, run: { maxIterations: 40, maxMs: 5_000 } };
const batches: Measurement[] = [
  await measure(`baseline: decode ${BATCH} records`, decodeOnly, batchBounds),
  await measure(`aggregate ${BATCH} records (decode, fold, write cells)`, aggregateBatch, batchBounds),
];

// --- 4. percentile accuracy --------------------------------------------------------------------------
let seed = 42;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};
const latencies = Array.from({ length: 100_000 }, () => Math.exp(1 + 4 * random() * random()) + random());
const buckets: Record<string, number> = {};
for (const ms of latencies) buckets[bucketKey(ms)] = (buckets[bucketKey(ms)] ?? 0) + 1;
const accuracy = [0.5, 0.9, 0.95, 0.99, 0.999].map((p) => {
  const exact = exactPercentile(latencies, p)!;
  const sketched = percentile(buckets, p)!;
  return {
    p,
    exact: round(exact, 3),
    sketched: round(sketched, 3),
    relativeError: Math.abs(sketched - exact) / exact,
  };
});

// --- 5. the aggregator on the emulator ------------------------------------------------------------------
const runtime = await startQuietRuntime();
const aws = localClients(runtime.info.awsEndpoint);
const STREAM = 'portico-bench-analytics';
await aws.kinesis.send(new CreateStreamCommand({ StreamName: STREAM, ShardCount: 1 }));
for (let i = 0; i < 50; i++) {
  const { StreamDescriptionSummary } = await aws.kinesis.send(
    new DescribeStreamSummaryCommand({ StreamName: STREAM }),
  );
  if (StreamDescriptionSummary?.StreamStatus === 'ACTIVE') break;
  await new Promise((r) => setTimeout(r, 100));
}
const { Shards = [] } = await aws.kinesis.send(new ListShardsCommand({ StreamName: STREAM }));
const shardId = Shards[0]!.ShardId!;
const EMULATED = 1_000;
const emulatedTexts = texts.slice(0, EMULATED);
async function putAll(): Promise<string> {
  let first = '';
  for (let i = 0; i < emulatedTexts.length; i += 500) {
    const put = await aws.kinesis.send(
      new PutRecordsCommand({
        StreamName: STREAM,
        Records: emulatedTexts
          .slice(i, i + 500)
          .map((t) => ({ Data: Buffer.from(t), PartitionKey: 'bench' })),
      }),
    );
    first ||= put.Records![0]!.SequenceNumber!;
  }
  return first;
}
async function getFrom(sequence: string): Promise<{ sequence: string; data: Uint8Array }[]> {
  let { ShardIterator } = await aws.kinesis.send(
    new GetShardIteratorCommand({
      StreamName: STREAM,
      ShardId: shardId,
      ShardIteratorType: 'AT_SEQUENCE_NUMBER',
      StartingSequenceNumber: sequence,
    }),
  );
  const got: { sequence: string; data: Uint8Array }[] = [];
  while (got.length < EMULATED && ShardIterator) {
    const page = await aws.kinesis.send(new GetRecordsCommand({ ShardIterator, Limit: 10_000 }));
    for (const r of page.Records ?? []) got.push({ sequence: r.SequenceNumber!, data: r.Data! });
    ShardIterator = page.NextShardIterator;
  }
  return got.slice(0, EMULATED);
}
const store = new DynamoAggregateStore(aws.document, 'portico-AnalyticsTable');
const rounds = 3;
const raw: number[] = [];
const aggregated: number[] = [];
let emulatedWrites = 0;
for (let round = 0; round < rounds; round++) {
  let started = performance.now();
  const first = await putAll();
  await getFrom(first);
  raw.push(EMULATED / ((performance.now() - started) / 1_000));
  started = performance.now();
  const got = await getFrom(first);
  const result = await aggregateStream(
    store,
    got.map((r) => ({
      shard: `${STREAM}/bench-${round}`,
      sequence: r.sequence,
      record: decodeAnalyticsRecord(Buffer.from(r.data).toString()),
    })),
  );
  aggregated.push(EMULATED / ((performance.now() - started) / 1_000));
  emulatedWrites = result.writes;
}
await runtime.stop();
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const rawPerSec = median(raw);
const aggregatedPerSec = median(aggregated);

// --- report ---------------------------------------------------------------------------------------
const row = (m: Measurement, base: Measurement, unit: 'µs' | 'ms') => {
  const k = unit === 'ms' ? 1_000 : 1;
  return [
    m.name,
    formatNumber(m.throughput.opsPerSec, unit === 'ms' ? 1 : 0),
    formatNumber(m.latency.medianUs / k, unit === 'ms' ? 2 : 1),
    formatNumber(m.latency.p99Us / k, unit === 'ms' ? 2 : 1),
    `${formatNumber(m.latency.medianUs / base.latency.medianUs, 2)}×`,
  ];
};
console.log('\n1. Recording on the request path (in-process pipeline, upstream answered at once)\n');
console.log(
  formatTable(
    ['Code', 'ops/s', 'median µs', 'p99 µs', 'vs baseline'],
    requestPath.map((m) => row(m, requestPath[0]!, 'µs')),
  ),
);
console.log(
  `\n   added per request: median ${formatNumber(added('medianUs'), 1)} µs, p99 ${formatNumber(added('p99Us'), 1)} µs`,
);
console.log('\n2. A request-log line, when it is sent (2 KB JSON body each way)\n');
console.log(
  formatTable(
    ['Code', 'lines/s', 'median µs', 'p99 µs', 'vs baseline'],
    lines.map((m) => row(m, lines[0]!, 'µs')),
  ),
);
console.log(`\n3. Aggregating a stream batch of ${BATCH} records (50 apps, 10 APIs, 5 minutes)\n`);
console.log(
  formatTable(
    ['Code', 'batches/s', 'median ms', 'p99 ms', 'vs baseline'],
    batches.map((m) => row(m, batches[0]!, 'ms')),
  ),
);
console.log(`\n   cell writes per batch: ${writes} (${formatNumber(writes / BATCH, 3)} per record)`);
console.log('\n4. Percentiles from the stored sketch vs exact, 100,000 latencies\n');
console.log(
  formatTable(
    ['percentile', 'exact ms', 'sketch ms', 'relative error', 'bound'],
    accuracy.map((a) => [
      `p${a.p * 100}`,
      String(a.exact),
      String(a.sketched),
      `${formatNumber(a.relativeError * 100, 3)} %`,
      `${RELATIVE_ACCURACY * 100} %`,
    ]),
  ),
);
console.log(`\n5. On the local emulator (moto), ${EMULATED} records, median of ${rounds} rounds\n`);
console.log(
  formatTable(
    ['Code', 'records/s', 'vs baseline'],
    [
      ['baseline: Kinesis PutRecords + GetRecords', formatNumber(rawPerSec), '1.00×'],
      [
        `aggregator: GetRecords + fold + ${emulatedWrites} cell writes`,
        formatNumber(aggregatedPerSec),
        `${formatNumber(aggregatedPerSec / rawPerSec, 2)}×`,
      ],
    ],
  ),
);
console.log(
  JSON.stringify({
    bench: 'analytics',
    machine: machineInfo(),
    requestPath: {
      addedMedianUs: round(added('medianUs')),
      addedP99Us: round(added('p99Us')),
      ratio: round(requestPath[1]!.latency.medianUs / requestPath[0]!.latency.medianUs),
    },
    requestLogLineUs: {
      median: round(lines[1]!.latency.medianUs),
      ratio: round(lines[1]!.latency.medianUs / lines[0]!.latency.medianUs),
    },
    aggregateBatchMs: {
      median: round(batches[1]!.latency.medianUs / 1_000),
      ratio: round(batches[1]!.latency.medianUs / batches[0]!.latency.medianUs),
      writesPerRecord: round(writes / BATCH, 3),
    },
    maxRelativeError: round(Math.max(...accuracy.map((a) => a.relativeError)), 5),
    emulator: {
      rawPerSec: round(rawPerSec),
      aggregatorPerSec: round(aggregatedPerSec),
      ratio: round(aggregatedPerSec / rawPerSec, 3),
      writes: emulatedWrites,
    },
  }),
);
