import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
} from '@aws-sdk/client-kinesis';
import type { KinesisStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAggregateStore } from '../shared/analytics/adapters/dynamo-aggregate-store.ts';
import { streamRecordsOf } from '../shared/analytics/adapters/kinesis-records.ts';
import { aggregateStream } from '../shared/analytics/aggregate-stream.ts';
import { exactPercentile, RELATIVE_ACCURACY } from '../shared/analytics/latency-sketch.ts';
import { analyticsRecords } from './support/analytics.ts';
import { registerApi } from './support/apis.ts';
import { consoleToken, createApp } from './support/console.ts';
import { as } from './support/http.ts';
import { adminToken, tokenFor } from './support/oauth.ts';
import { aws, uniqueName } from './support/platform.ts';
import { eventually } from './support/wait.ts';

const STREAM = 'portico-AnalyticsStream';
const TABLE = 'portico-AnalyticsTable';
const STATUSES = [200, 200, 201, 404, 503] as const;
const CALLS = 60;

/** An upstream answering the status its path names (`/s/503`), after a delay that spreads latencies. */
const upstream = http.createServer((req, res) => {
  const status = Number(/\/s\/(\d{3})/.exec(req.url ?? '')?.[1] ?? 200);
  setTimeout(
    () => res.writeHead(status, { 'content-type': 'application/json' }).end('{}'),
    Math.random() * 40,
  );
});

let viewer: string;
let apis: [string, string];
let apps: { appId: string; token: string }[];
let from: string;
let to: string;
/** What was sent: per call, its app, API, status and the request id the platform answered with. */
const sent: { app: number; api: number; status: number; requestId?: string }[] = [];

beforeAll(async () => {
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  const admin = await adminToken();
  viewer = await consoleToken(admin, 'viewer');
  apis = [
    await registerApi(admin, uniqueName('usage-a'), { upstreams: [{ url }], requiredScopes: ['echo:read'] }),
    await registerApi(admin, uniqueName('usage-b'), { upstreams: [{ url }], requiredScopes: ['echo:read'] }),
  ];
  apps = [];
  for (const name of ['usage app 1', 'usage app 2']) {
    const app = await createApp(admin, { name, scopes: ['echo:read'] });
    apps.push({ appId: app.appId, token: await tokenFor(app.clientId, app.clientSecret) });
  }
  from = new Date().toISOString();
  for (let i = 0; i < CALLS; i += 6) {
    await Promise.all(
      Array.from({ length: 6 }, async (_, k) => {
        const call: (typeof sent)[number] = {
          app: (i + k) % 2,
          api: Math.floor((i + k) / 2) % 2,
          status: STATUSES[(i + k) % STATUSES.length]!,
        };
        sent.push(call);
        const answer = await as(apps[call.app]!.token).get(`/apis/${apis[call.api]}/s/${call.status}`);
        expect(answer.status).toBe(call.status);
        call.requestId = answer.headers.get('x-request-id')!;
      }),
    );
  }
  to = new Date(Date.now() + 1_000).toISOString();
});
afterAll(() => upstream.close());

const report = async (token: string, path: string) => {
  const answer = await as(token).get(path);
  expect(answer.status, answer.text).toBe(200);
  return answer.body;
};
const range = () => `from=${from}&to=${to}`;
const classOf = (status: number) => `${Math.floor(status / 100)}xx`;
const expectedSplit = (calls: readonly { status: number }[]) => {
  const byStatus: Record<string, number> = {};
  for (const c of calls) byStatus[classOf(c.status)] = (byStatus[classOf(c.status)] ?? 0) + 1;
  return { count: calls.length, byStatus };
};

describe('analytics: usage from the exact aggregates', () => {
  it('counts every call exactly, split as sent, with percentiles within 1 % of the raw records', async () => {
    for (const [index, api] of apis.entries()) {
      // The stream holds this test's calls and the OPTIONS probes that waited for the API to be served.
      const recordsOfApi = async () =>
        (await analyticsRecords()).filter((r) => r.kind === 'call' && r.api === api);
      await eventually(async () => {
        const found = await recordsOfApi();
        return found.length >= sent.filter((c) => c.api === index).length ? found : undefined;
      });
      // The aggregator gathers records for up to 10 s (its batching window). A probe's record may still
      // be on its way to the stream (the gateway sends records in batches): the stream is read again
      // with each report, and the report must agree with it.
      const { usage, records } = await eventually(async () => {
        const body = await report(viewer, `/console/v1/analytics/calls?api=${api}&${range()}`);
        const found = await recordsOfApi();
        return body.totals.count === found.length ? { usage: body, records: found } : undefined;
      }, 60_000);
      const ours = sent.filter((c) => c.api === index);
      const byId = new Map(records.map((r) => [r.requestId as string, r]));
      for (const call of ours) expect(byId.get(call.requestId!)?.status, call.requestId).toBe(call.status);
      expect(records.filter((r) => r.method !== 'OPTIONS')).toHaveLength(ours.length);

      expect(usage.totals).toMatchObject({
        ...expectedSplit(records),
        errors: records.filter((r) => r.status >= 500 || r.errorType).length,
        bytesOut: records.reduce((n, r) => n + r.bytesOut, 0),
      });
      expect(usage.grain).toBe('minute');
      expect(usage.series.reduce((n: number, p: { count: number }) => n + p.count, 0)).toBe(records.length);

      const latencies = records.map((r) => r.latencyMs as number);
      for (const [name, p] of [
        ['p50', 0.5],
        ['p95', 0.95],
        ['p99', 0.99],
      ] as const) {
        const exact = exactPercentile(latencies, p)!;
        expect(
          Math.abs(usage.totals.latencyMs[name] - exact),
          `${name}: ${usage.totals.latencyMs[name]} against ${exact}`,
        ).toBeLessThanOrEqual(RELATIVE_ACCURACY * exact + 0.001);
      }
    }
    // The same calls by app, by app × API, and all together.
    const ofApp = sent.filter((c) => c.app === 0);
    expect(
      (await report(viewer, `/console/v1/analytics/calls?app=${apps[0]!.appId}&${range()}`)).totals,
    ).toMatchObject(expectedSplit(ofApp));
    expect(
      (await report(viewer, `/console/v1/analytics/calls?app=${apps[0]!.appId}&api=${apis[1]}&${range()}`))
        .totals,
    ).toMatchObject(expectedSplit(ofApp.filter((c) => c.api === 1)));
    const all = await report(viewer, `/console/v1/analytics/calls?${range()}`);
    expect(all.totals.count).toBeGreaterThanOrEqual(CALLS);
    // Both APIs in the ranking by calls, with their exact counts (other files' APIs may rank too).
    const top = await report(viewer, `/console/v1/analytics/top?of=api&limit=100&${range()}`);
    for (const api of apis) {
      const item = top.items.find((i: { api: string }) => i.api === api);
      const ours = (await analyticsRecords()).filter((r) => r.kind === 'call' && r.api === api);
      expect(item, api).toMatchObject({
        calls: ours.length,
        errors: ours.filter((r) => r.status >= 500 || r.errorType).length,
      });
    }
    const byErrors = await report(viewer, `/console/v1/analytics/top?of=api&by=errors&limit=100&${range()}`);
    const counts = byErrors.items.map((i: { errors: number }) => i.errors);
    expect(counts).toEqual([...counts].sort((a: number, b: number) => b - a));
    // Both apps in the ranking of apps, exact while fewer apps than the summary keeps have called.
    const topApps = await report(viewer, `/console/v1/analytics/top?of=app&limit=100&${range()}`);
    expect(topApps.maxError).toBe(0);
    for (const app of apps) {
      const ours = (await analyticsRecords()).filter((r) => r.kind === 'call' && r.appId === app.appId);
      expect(ours).toHaveLength(CALLS / 2);
      expect(
        topApps.items.find((i: { app: string }) => i.app === app.appId),
        app.appId,
      ).toMatchObject({
        calls: ours.length,
        errors: ours.filter((r) => r.status >= 500 || r.errorType).length,
      });
    }
    expect((await as(viewer).get(`/console/v1/analytics/top?of=client&${range()}`)).status).toBe(400);
  }, 150_000);

  it('shows an app its own usage only, and refuses what it may not ask', async () => {
    const [one, two] = apps as [{ appId: string; token: string }, { appId: string; token: string }];
    const own = await report(one.token, `/v1/analytics/calls?${range()}`);
    expect(own.totals).toMatchObject(expectedSplit(sent.filter((c) => c.app === 0)));
    expect(own.filters).toEqual({ app: one.appId });
    const ownApi = await report(two.token, `/v1/analytics/calls?api=${apis[0]}&${range()}`);
    expect(ownApi.totals).toMatchObject(expectedSplit(sent.filter((c) => c.app === 1 && c.api === 0)));

    // Another app's figures are not reachable: `app` is no parameter of the app routes.
    const other = await as(one.token).get(`/v1/analytics/calls?app=${two.appId}&${range()}`);
    expect(other.status).toBe(400);
    expect(other.headers.get('content-type')).toContain('application/problem+json');
    // Console figures need a console role.
    expect((await as(one.token).get(`/console/v1/analytics/calls?${range()}`)).status).toBe(403);
    // Another app's subscription id answers as unknown.
    expect((await as(one.token).get(`/v1/analytics/deliveries?subscription=sub_nope`)).status).toBe(404);
    for (const bad of [
      `route=${encodeURIComponent('GET /x')}`,
      'from=2030-01-02T00:00:00Z&to=2030-01-01T00:00:00Z',
      'from=yesterday',
      'grain=week',
      'from=2020-01-01T00:00:00Z&to=2030-01-01T00:00:00Z&grain=minute',
      'api=a&api=b',
    ]) {
      const answer = await as(viewer).get(`/console/v1/analytics/calls?${bad}`);
      expect(answer.status, bad).toBe(400);
      expect(answer.body.type, bad).toMatch(/bad-request/);
    }
  });

  it('changes no figure when the same stream range is aggregated again, twice', async () => {
    const before = await Promise.all(
      apis.map((api) => report(viewer, `/console/v1/analytics/calls?api=${api}&${range()}`)),
    );
    const event = await wholeStream();
    const store = new DynamoAggregateStore(aws().document, TABLE);
    for (const records of [event, { Records: event.Records.slice(Math.floor(event.Records.length / 2)) }]) {
      const result = await aggregateStream(store, streamRecordsOf(records));
      expect(result.added).toBe(0);
      expect(result.alreadyAdded).toBe(records.Records.length - result.undecodable);
    }
    const after = await Promise.all(
      apis.map((api) => report(viewer, `/console/v1/analytics/calls?api=${api}&${range()}`)),
    );
    expect(after).toEqual(before);
  });
});

/** Every record of the analytics stream so far, as the event-source mapping would hand them over. */
async function wholeStream(): Promise<KinesisStreamEvent> {
  const { kinesis } = aws();
  const { StreamDescriptionSummary } = await kinesis.send(
    new DescribeStreamSummaryCommand({ StreamName: STREAM }),
  );
  const { Shards = [] } = await kinesis.send(new ListShardsCommand({ StreamName: STREAM }));
  const event: KinesisStreamEvent = { Records: [] };
  for (const shard of Shards) {
    let { ShardIterator } = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: STREAM,
        ShardId: shard.ShardId!,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    while (ShardIterator) {
      const page = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
      if (!page.Records?.length) break;
      for (const r of page.Records) {
        event.Records.push({
          kinesis: {
            kinesisSchemaVersion: '1.0',
            partitionKey: r.PartitionKey!,
            sequenceNumber: r.SequenceNumber!,
            data: Buffer.from(r.Data!).toString('base64'),
            approximateArrivalTimestamp: 0,
          },
          eventSource: 'aws:kinesis',
          eventVersion: '1.0',
          eventID: `${shard.ShardId}:${r.SequenceNumber}`,
          eventName: 'aws:kinesis:record',
          invokeIdentityArn: 'arn:aws:iam::000000000000:role/test',
          awsRegion: 'us-east-1',
          eventSourceARN: StreamDescriptionSummary!.StreamARN!,
        });
      }
      ShardIterator = page.NextShardIterator;
    }
  }
  return event;
}
