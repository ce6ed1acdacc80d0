/**
 * Partner health query benchmark (`npm run bench:health`), three parts, each against a baseline of the
 * same run:
 *
 *   1. in process: `PartnerHealthReader.health` answered from its memory cache (the gateway's path) vs
 *      the snapshot built from in-memory stores on every call (what the cache saves);
 *   2. over HTTP, through the local runtime exactly as `npm start` serves it: `GET
 *      /health/v1/partners/{id}` (one, and ten ranked) vs a loopback server answering a fixed JSON
 *      body (the floor of one HTTP round trip here);
 *   3. with the store unreachable: the reader over the real DynamoDB and KMS adapters pointed at a
 *      loopback endpoint that accepts connections and never answers. Every answer must be the
 *      partner's default, flagged `degraded`, with p99 ≤ 50 ms (seed 003 §6.4).
 *
 * Every loop is bounded in count and time; everything binds to 127.0.0.1. Ends with one JSON line.
 */

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BACKGROUND_PROFILE, clientConfig } from '../shared/aws/clients.ts';
import { HEALTH_READ_SCOPE } from '../shared/kernel/scopes.ts';
import { dynamoPartnerStores } from '../shared/partners/adapters/dynamo-partner-stores.ts';
import { PartnerHealthReader, snapshotFromStores } from '../shared/partners/health-reader.ts';
import { aNotice, aPartner } from '../shared/partners/testing/fixtures.ts';
import {
  MemoryHealthStateStore,
  MemoryNoticeStore,
  MemoryPartnerStore,
} from '../shared/partners/testing/memory-stores.ts';
import { json, platformToken, startQuietRuntime } from './support/local-platform.ts';
import {
  formatNumber,
  formatTable,
  type Measurement,
  machineInfo,
  measure,
  measureLatency,
  type Operation,
  round,
} from './support/measure.ts';

const DEADLINE_MS = 50;

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`bench/health: ${message}`);
}

const ms = (us: number) => us / 1000;
const row = (m: Measurement, baseline?: Measurement) => [
  m.name,
  formatNumber(m.latency.iterations),
  formatNumber(ms(m.latency.medianUs), 3),
  formatNumber(ms(m.latency.p99Us), 3),
  formatNumber(ms(m.latency.maxUs), 3),
  baseline ? `${formatNumber(m.latency.medianUs / baseline.latency.medianUs, 2)}×` : 'baseline',
];
const table = (rows: string[][]) =>
  formatTable(['operation', 'calls', 'p50 ms', 'p99 ms', 'max ms', 'p50 vs baseline'], rows, [
    'left',
    'right',
    'right',
    'right',
    'right',
    'right',
  ]);

// --- 1. in process ------------------------------------------------------------------------------------

const partners = new MemoryPartnerStore();
const notices = new MemoryNoticeStore();
const states = new MemoryHealthStateStore();
const ids = Array.from({ length: 100 }, (_, i) => `partner-${i}`);
for (const [i, id] of ids.entries()) {
  await partners.put(aPartner(id));
  if (i % 10 === 0)
    await notices.save(aNotice(id, `n-${i}`, { begin: 0, end: Date.now() + 3_600_000 }), undefined);
}
const source = snapshotFromStores({ partners, notices, states });
const cached = new PartnerHealthReader(source);
for (const id of ids) await cached.health(id);

const inProcessBounds = {
  warmUp: { maxIterations: 2_000, maxMs: 1_000 },
  run: { maxIterations: 200_000, maxMs: 3_000 },
};
const uncachedOp: Operation = (i) => source(ids[i % ids.length]!);
const cachedOp: Operation = (i) => cached.health(ids[i % ids.length]!);
const inProcess = {
  uncached: await measure('snapshot from the stores, every call (baseline)', uncachedOp, inProcessBounds),
  cached: await measure('PartnerHealthReader.health (memory cache)', cachedOp, inProcessBounds),
};
check((await cached.health(ids[0]!))?.healthy === false, 'partner-0 has a notice in force');

// --- 3. the store unreachable (before the runtime: this part needs an idle machine the least) ----------

const sockets = new Set<net.Socket>();
const blackHole = net.createServer((socket) => {
  sockets.add(socket);
  socket.on('error', () => {});
  socket.on('close', () => sockets.delete(socket));
});
await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
const hungEndpoint = `http://127.0.0.1:${(blackHole.address() as AddressInfo).port}`;
const hungConfig = {
  ...clientConfig(BACKGROUND_PROFILE),
  endpoint: hungEndpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
};
const hungStores = dynamoPartnerStores(
  DynamoDBDocumentClient.from(new DynamoDBClient(hungConfig)),
  new KMSClient(hungConfig),
  'alias/bench',
  'PartnersTable',
  () => {},
);
let notDefault = 0;
const askHung =
  (reader: PartnerHealthReader, ids: readonly string[]): Operation =>
  async (i) => {
    const answer = await reader.health(ids[i % ids.length]!);
    if (!answer?.degraded || answer.phase !== 'unknown' || !answer.healthy) notDefault++;
  };
const asMeasurement = (name: string, latency: Measurement['latency']): Measurement => ({
  name,
  throughput: { opsPerSec: 0, iterations: 0, elapsedMs: 0 },
  latency,
});
// Warm-up: the SDK loads parts of itself on the first calls, timeouts and retries (a cold start, not
// the steady state): a few hung reads, past their first timeout and retry, before measuring.
const warm = new PartnerHealthReader(snapshotFromStores(hungStores));
for (let i = 0; i < 5; i++) await warm.health(`hung-warm-${i}`);
await new Promise((resolve) => setTimeout(resolve, BACKGROUND_PROFILE.requestTimeoutMs * 2 + 1_000));
// The worst case: every question is the first about its partner, so each waits for its hung read.
const firstIds = Array.from({ length: 200 }, (_, i) => `hung-first-${i}`);
const firstQuestions = await measureLatency(
  askHung(new PartnerHealthReader(snapshotFromStores(hungStores)), firstIds),
  { maxIterations: firstIds.length, maxMs: 20_000 },
);
// Traffic: the same 20 partners asked about again and again while their reads hang.
const trafficIds = Array.from({ length: 20 }, (_, i) => `hung-traffic-${i}`);
const traffic = await measureLatency(
  askHung(new PartnerHealthReader(snapshotFromStores(hungStores)), trafficIds),
  { maxIterations: 5_000, maxMs: 10_000 },
);
const unreachable = {
  first: asMeasurement('store unreachable: first question per partner', firstQuestions),
  traffic: asMeasurement('store unreachable: 20 partners asked again and again', traffic),
};
check(notDefault === 0, `${notDefault} answers were not the degraded default`);

// --- 2. over HTTP -----------------------------------------------------------------------------------

const fixedBody = JSON.stringify({ partnerId: 'p', healthy: true, standing: 'healthy', degraded: false });
const floor = http.createServer((_req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(fixedBody);
});
await new Promise<void>((resolve) => floor.listen(0, '127.0.0.1', resolve));
const floorUrl = `http://127.0.0.1:${(floor.address() as AddressInfo).port}/`;

const runtime = await startQuietRuntime();
const { baseUrl } = runtime.info;

const tokenOf = (id: string, secret: string) => platformToken(baseUrl, id, secret);

let overHttp: { floor: Measurement; one: Measurement; ten: Measurement };
try {
  const admin = await tokenOf(runtime.info.admin.clientId, runtime.info.admin.clientSecret);
  const operator = { authorization: `Bearer ${admin}`, 'content-type': 'application/json' };
  const app = await json(`${baseUrl}/console/v1/apps`, {
    method: 'POST',
    headers: operator,
    body: JSON.stringify({ name: 'health bench', scopes: [HEALTH_READ_SCOPE] }),
  });
  check(app.status === 201, `creating the reader app answered ${app.status}`);
  const [credentials] = app.body.credentials as { clientId: string; clientSecret: string }[];
  const reader = {
    authorization: `Bearer ${await tokenOf(credentials!.clientId, credentials!.clientSecret)}`,
  };
  const httpIds = Array.from({ length: 10 }, (_, i) => `bench-${i}`);
  for (const id of httpIds) {
    const created = await json(`${baseUrl}/console/v1/partners/${id}`, {
      method: 'PUT',
      headers: operator,
      body: JSON.stringify({ name: id, sharedSecret: 'bench-shared-secret-0123456789abcdef' }),
    });
    check(created.status === 201, `creating partner ${id} answered ${created.status}`);
  }
  const get = async (url: string, headers: Record<string, string> = {}) => {
    const response = await fetch(url, { headers });
    check(response.status === 200, `${url} answered ${response.status}`);
    return response.json() as Promise<Record<string, unknown>>;
  };
  const first = await get(`${baseUrl}/health/v1/partners/${httpIds[0]}`, reader);
  check(first.partnerId === httpIds[0], 'the health query answers the partner asked');
  const httpBounds = {
    warmUp: { maxIterations: 200, maxMs: 1_000 },
    run: { maxIterations: 3_000, maxMs: 5_000 },
  };
  overHttp = {
    floor: await measure('loopback server, fixed JSON (baseline)', () => get(floorUrl), httpBounds),
    one: await measure(
      'GET /health/v1/partners/{id}',
      (i) => get(`${baseUrl}/health/v1/partners/${httpIds[i % httpIds.length]}`, reader),
      httpBounds,
    ),
    ten: await measure(
      'GET /health/v1/partners?ids=… (10, ranked)',
      () => get(`${baseUrl}/health/v1/partners?ids=${httpIds.join(',')}`, reader),
      httpBounds,
    ),
  };
} finally {
  await runtime.stop();
  await new Promise<void>((resolve) => floor.close(() => resolve()));
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => blackHole.close(() => resolve()));
}

const p99Ms = Math.max(ms(firstQuestions.p99Us), ms(traffic.p99Us));
console.log(`\nPartner health query — ${JSON.stringify(machineInfo())}\n`);
console.log("1. In process (the gateway and Portico's own callers)");
console.log(table([row(inProcess.uncached), row(inProcess.cached, inProcess.uncached)]));
console.log('\n2. Over HTTP through the local runtime');
console.log(
  table([row(overHttp.floor), row(overHttp.one, overHttp.floor), row(overHttp.ten, overHttp.floor)]),
);
console.log('\n3. Store unreachable (an endpoint that accepts and never answers)');
console.log(
  table([
    row(inProcess.cached),
    row(unreachable.first, inProcess.cached),
    row(unreachable.traffic, inProcess.cached),
  ]),
);
console.log(
  `\np99 with the store unreachable: ${formatNumber(p99Ms, 2)} ms (bound ${DEADLINE_MS} ms): ${p99Ms <= DEADLINE_MS ? 'MET' : 'NOT MET'}; every answer the degraded default`,
);
const summary = {
  bench: 'health',
  inProcess: {
    cachedP50Ms: round(ms(inProcess.cached.latency.medianUs), 4),
    cachedP99Ms: round(ms(inProcess.cached.latency.p99Us), 4),
    uncachedP50Ms: round(ms(inProcess.uncached.latency.medianUs), 4),
  },
  http: {
    floorP50Ms: round(ms(overHttp.floor.latency.medianUs), 3),
    oneP50Ms: round(ms(overHttp.one.latency.medianUs), 3),
    oneP99Ms: round(ms(overHttp.one.latency.p99Us), 3),
    tenP50Ms: round(ms(overHttp.ten.latency.medianUs), 3),
    tenP99Ms: round(ms(overHttp.ten.latency.p99Us), 3),
  },
  unreachable: {
    firstP50Ms: round(ms(firstQuestions.medianUs), 3),
    firstP99Ms: round(ms(firstQuestions.p99Us), 3),
    firstMaxMs: round(ms(firstQuestions.maxUs), 3),
    trafficP50Ms: round(ms(traffic.medianUs), 3),
    trafficP99Ms: round(ms(traffic.p99Us), 3),
  },
  deadlineMet: p99Ms <= DEADLINE_MS,
};
console.log(JSON.stringify(summary));
process.exit(summary.deadlineMet ? 0 : 1);
