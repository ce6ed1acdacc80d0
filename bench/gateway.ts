/**
 * Gateway benchmark (`npm run bench:gateway`), four parts, each against a baseline of the same run:
 *
 *   1. in-process pipeline cost per request (token path, signature path): `Gateway.handle` with the
 *      in-memory adapters and an upstream transport that answers at once, vs a bare pass-through proxy
 *      (event → upstream call → result) over the same transport — so the difference is the pipeline,
 *      without any upstream or network;
 *   2. a call through the local HTTP runtime (exactly what `npm start` serves) vs the same call through
 *      a bare `node:http` reverse proxy, both in this process, to one upstream in a process of its own:
 *      throughput and p99 with autocannon's 16 connections (in a process of its own too) and this
 *      process's CPU time per call, then one call at a time for the added p50/p99 latency;
 *   3. AWS calls per request in a warm steady state: every command the gateway's SDK clients send,
 *      counted by a middleware, over a bounded run of calls, after a warm-up.
 *
 *   4. cold start of the hot-path functions: each bundle built as the CDK builds it, loaded in a fresh
 *      process against a bundle creating only its SDK clients (`support/cold-start.ts`).
 *
 * Every loop is bounded in count and time; everything binds to 127.0.0.1. Ends with one JSON line.
 */

import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BatchingRecorder } from '../shared/analytics/batching-recorder.ts';
import { invokeGateway } from '../shared/gateway/http/api-gateway.ts';
import type { UpstreamTransport } from '../shared/gateway/ports.ts';
import {
  gatewayEvent,
  inMemoryGateway,
  signedAuthorization,
} from '../shared/gateway/testing/in-memory-gateway.ts';
import { IdentityTokenSigner, identityClaims } from '../shared/identity/identity-token.ts';
import { generateSigningKey } from '../shared/identity/signing-keys.ts';
import { startBareProxy } from './support/bare-proxy.ts';
import { measureColdStarts, printColdStarts } from './support/cold-start.ts';
import { load } from './support/load.ts';
import { json, platformToken, startQuietRuntime } from './support/local-platform.ts';
import {
  DEFAULT_OPTIONS,
  formatNumber,
  formatTable,
  type Measurement,
  machineInfo,
  measure,
  measureLatency,
  type Operation,
  round,
} from './support/measure.ts';
import { cpuPerCall } from './support/process-cpu.ts';

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`bench/gateway: ${message}`);
}

// --- 1. in-process pipeline -------------------------------------------------------------------------

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const upstreamBody = JSON.stringify({ ok: true, items: [1, 2, 3] });
const answerBody = Buffer.from(upstreamBody);
/** The upstream's answer, ready at once: the pipeline is measured without any upstream or network. */
const answerAtOnce: UpstreamTransport = async () => ({
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: answerBody,
  upstreamLatencyMs: 0,
});
// Every call signs the identity token the upstream receives (ES256), as in the deployed gateway.
const identityKey = await generateSigningKey(new Date(), 'current');
const identitySigner = new IdentityTokenSigner(identityKey.privateJwk, identityKey.kid);
const platform = await inMemoryGateway({
  transport: answerAtOnce,
  identityTokens: { issuer: 'https://portico.test', signer: async () => identitySigner },
});
/** The pipeline as the Lambda handler runs it: event in, result out. */
const invoke = invokeGateway(platform.gateway);
await platform.put({
  name: 'orders',
  requiredScopes: ['orders:read'],
  rateLimits: { appApi: { limit: 1_000_000, windowSeconds: 60 } },
  routes: [{ method: 'GET', path: '/orders/{id}' }],
});
const app = await platform.newApp(['orders:read']);
const token = await platform.tokenFor(app);
const tokenEvent = () =>
  gatewayEvent('GET', 'orders', '/orders/42', {
    headers: { authorization: `Bearer ${token}` },
    query: 'expand=items',
  });

const inProcess = {
  warmUp: { maxIterations: 2_000, maxMs: 1_500 },
  run: { maxIterations: 20_000, maxMs: 3_000 },
};
const SIGNED_POOL = inProcess.warmUp.maxIterations + 2 * inProcess.run.maxIterations + 16;
// Every signed call needs a fresh nonce: sign (and build the events) up front, outside the timing.
const signedEvents = Array.from({ length: SIGNED_POOL }, () =>
  gatewayEvent('GET', 'orders', '/orders/42', {
    headers: { authorization: signedAuthorization(app, 'GET', 'orders', '/orders/42', 'expand=items') },
    query: 'expand=items',
  }),
);
let nextSigned = 0;
const signedEvent = () => {
  const event = signedEvents[nextSigned++];
  check(event, 'ran out of pre-signed requests');
  return event;
};

const first = await invoke(tokenEvent());
check(first.statusCode === 200, `token call answered ${first.statusCode}`);
check((await invoke(signedEvent())).statusCode === 200, 'signed call refused');

const events: { token: ReturnType<typeof tokenEvent>[] } = { token: [] };
for (let i = 0; i < 256; i++) events.token.push(tokenEvent());

/** The least any proxy does: map the event to an upstream call, make it, map the answer back. */
const minimalProxy: Operation = async (i) => {
  const event = events.token[i % 256]!;
  const answer = await answerAtOnce({
    url: new URL(
      `http://upstream.test${event.rawPath.replace(/^\/apis\/[^/]+/, '')}?${event.rawQueryString}`,
    ),
    method: event.requestContext.http.method,
    headers: { ...(event.headers as Record<string, string>) },
    body: Buffer.alloc(0),
    timeoutMs: 1000,
  });
  return {
    statusCode: answer.status,
    headers: answer.headers,
    body: answer.body.toString('base64'),
    isBase64Encoded: true,
  };
};
const pipelineToken: Operation = (i) => invoke(events.token[i % 256]!);
const pipelineSigned: Operation = () => invoke(signedEvent());

const inProcessResults: Measurement[] = [];
inProcessResults.push(await measure('baseline: a bare pass-through proxy', minimalProxy, inProcess));
inProcessResults.push(await measure('Gateway.handle, bearer token', pipelineToken, inProcess));
inProcessResults.push(await measure('Gateway.handle, HMAC signature', pipelineSigned, inProcess));
platform.records.length = 0;
const [stub, tokenPath, signedPath] = inProcessResults as [Measurement, Measurement, Measurement];
// The part of each pipeline run that signs the identity token (one ES256 signature per call).
const identityCall = {
  issuer: 'https://portico.test',
  api: 'orders',
  appId: app.app.appId,
  clientId: app.clientId,
  scopes: ['orders:read'],
  sandbox: false,
  method: 'GET',
  path: '/orders/42',
};
const signing = await measure(
  'identity token signing',
  (i) => {
    identitySigner.sign(identityClaims({ ...identityCall, requestId: `req-${i}`, nowMs: Date.now() }));
  },
  inProcess,
);
const net = (m: Measurement, key: 'medianUs' | 'p99Us') => m.latency[key] - stub.latency[key];

console.log('\n1. In-process pipeline cost per request (in-memory adapters, upstream answered at once)\n');
console.log(
  formatTable(
    ['Code', 'ops/s', 'median µs', 'p99 µs', 'pipeline median µs', 'pipeline p99 µs'],
    inProcessResults.map((m, i) => [
      m.name,
      formatNumber(m.throughput.opsPerSec),
      formatNumber(m.latency.medianUs, 1),
      formatNumber(m.latency.p99Us, 1),
      i === 0 ? '—' : formatNumber(net(m, 'medianUs'), 1),
      i === 0 ? '—' : formatNumber(net(m, 'p99Us'), 1),
    ]),
    ['left', 'right', 'right', 'right', 'right', 'right'],
  ),
);
console.log(
  `of which signing the identity token: median ${formatNumber(signing.latency.medianUs, 1)} µs, ` +
    `p99 ${formatNumber(signing.latency.p99Us, 1)} µs ` +
    `(${formatNumber((signing.latency.medianUs / net(tokenPath, 'medianUs')) * 100, 0)} % of the token pipeline's median)`,
);

// Analytics: what recording a call adds to a request (the send happens later, off the request).
await invoke(tokenEvent());
const recordSample = platform.records.at(-1)!;
const recorder = new BatchingRecorder({ send: async () => {} });
const plainArray: unknown[] = [];
const recordResults = [
  await measure(
    'baseline: Array.push of the record',
    () => {
      plainArray.push(recordSample);
      if (plainArray.length > 10_000) plainArray.length = 0;
    },
    inProcess,
  ),
  await measure(
    'BatchingRecorder.record (sends of 100 through a no-op sink)',
    () => recorder.record({ ...recordSample }),
    inProcess,
  ),
];
await recorder.flush();
console.log('\nAnalytics record per call\n');
console.log(
  formatTable(
    ['Code', 'ops/s', 'median µs', 'p99 µs'],
    recordResults.map((m) => [
      m.name,
      formatNumber(m.throughput.opsPerSec),
      formatNumber(m.latency.medianUs, 2),
      formatNumber(m.latency.p99Us, 2),
    ]),
    ['left', 'right', 'right', 'right'],
  ),
);

// --- 2 and 3. through the local HTTP runtime ----------------------------------------------------------

// The upstream runs in a process of its own, as the load generator does: this process holds only
// what is measured (the runtime, or the bare proxy), so its CPU time per call can be read.
const upstream = spawn(
  process.execPath,
  ['--import', 'tsx', path.join(REPO_ROOT, 'bench/support/plain-upstream.ts')],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const upstreamUrl = await new Promise<string>((resolve, reject) => {
  upstream.stdout.once('data', (chunk) => resolve(String(chunk).trim()));
  upstream.once('exit', (code) => reject(new Error(`the bench upstream exited with ${code}`)));
});
const bareProxy = await startBareProxy(upstreamUrl);

const runtime = await startQuietRuntime();
const { baseUrl } = runtime.info;

/**
 * Counts every command the functions' SDK clients send, by service and command. The runtime imported
 * the handler modules in this process, so these are the very clients the gateway uses.
 */
const { dynamoDocument } = await import('../shared/aws/dynamo.ts');
const { eventBridge } = await import('../shared/aws/event-bridge.ts');
const { kinesis } = await import('../shared/aws/kinesis.ts');
const { kms } = await import('../shared/aws/kms.ts');
const awsCalls = new Map<string, number>();
for (const [service, client] of [
  ['dynamodb', dynamoDocument],
  ['kinesis', kinesis],
  ['kms', kms],
  ['eventbridge', eventBridge],
] as const) {
  (client.middlewareStack as unknown as CountableStack).add(
    (next, context) => async (args) => {
      const key = `${service}:${context.commandName}`;
      awsCalls.set(key, (awsCalls.get(key) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: `benchCount-${service}` },
  );
}
interface CountableStack {
  add(
    middleware: (
      next: (args: unknown) => Promise<unknown>,
      context: { commandName?: string },
    ) => (args: unknown) => Promise<unknown>,
    options: { step: 'initialize'; name: string },
  ): void;
}
const totalAwsCalls = () => [...awsCalls.values()].reduce((a, b) => a + b, 0);

const tokenOf = (id: string, secret: string) => platformToken(baseUrl, id, secret);

let stopped = false;
async function shutDown() {
  if (stopped) return;
  stopped = true;
  await runtime.stop();
  await bareProxy.close();
  upstream.kill('SIGTERM');
}

try {
  const adminToken = await tokenOf(runtime.info.admin.clientId, runtime.info.admin.clientSecret);
  const registered = await json(`${baseUrl}/console/v1/apis/bench`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      upstreams: [{ url: upstreamUrl }],
      timeoutMs: 5000,
      rateLimits: {
        appApi: { limit: 1_000_000, windowSeconds: 60 },
        ip: { limit: 1_000_000, windowSeconds: 60 },
      },
      routes: [{ method: 'GET', path: '/orders/{id}' }],
    }),
  });
  check(registered.status === 201, `registering the bench API answered ${registered.status}`);
  const demoToken = await tokenOf(runtime.info.demo.clientId, runtime.info.demo.clientSecret);
  const viaGateway = `${baseUrl}/apis/bench/orders/42?expand=items`;
  const direct = `${upstreamUrl}/orders/42?expand=items`;
  const headers = { authorization: `Bearer ${demoToken}` };
  const deadline = Date.now() + 15_000;
  while ((await fetch(viaGateway, { headers })).status !== 200) {
    check(Date.now() < deadline, 'the gateway did not serve the bench API within 15 s');
    await new Promise((r) => setTimeout(r, 200));
  }

  const callOk = async (url: string) => {
    const response = await fetch(url, { headers });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`bench/gateway: ${url} answered ${response.status}`);
  };

  /**
   * A load run, with the CPU time spent per call meanwhile by this process (the runtime or the proxy),
   * the emulator, the upstream and the whole machine (load generator included).
   */
  const loadRun = async (url: string, options: { seconds: number }) => {
    const cpuBefore = process.cpuUsage();
    const others = cpuPerCall({ emulator: runtime.info.pids.emulator, upstream: upstream.pid });
    const result = await load(url, { connections: CONCURRENCY, seconds: options.seconds, headers });
    const cpu = process.cpuUsage(cpuBefore);
    check(result.failures === 0, `${url}: ${result.failures} calls failed under load`);
    return { ...result, cpuUsPerCall: (cpu.user + cpu.system) / result.requests, ...others(result.requests) };
  };

  const CONCURRENCY = 16;
  const loadSeconds = 8;
  const viaProxy = `${bareProxy.url}/orders/42?expand=items`;
  for (const url of [direct, viaProxy, viaGateway]) await loadRun(url, { seconds: 2 });

  // AWS calls are counted over the gateway's load run, after the warm-up above.
  const awsBefore = totalAwsCalls();
  const before = new Map(awsCalls);
  const directLoad = await loadRun(direct, { seconds: loadSeconds });
  const proxyLoad = await loadRun(viaProxy, { seconds: loadSeconds });
  const gatewayLoad = await loadRun(viaGateway, { seconds: loadSeconds });
  const awsDuring = totalAwsCalls() - awsBefore;
  const byCommand = [...awsCalls]
    .map(([key, count]) => [key, count - (before.get(key) ?? 0)] as const)
    .filter(([, count]) => count > 0)
    .sort((a, b) => b[1] - a[1]);

  const sequential = { maxIterations: 2_000, maxMs: 4_000 };
  const proxyLatency = await measureLatency(() => callOk(viaProxy), sequential);
  const gatewayLatency = await measureLatency(() => callOk(viaGateway), sequential);

  console.log(
    `\n2. Through the local HTTP runtime vs a bare node:http reverse proxy to the same upstream (autocannon, ${CONCURRENCY} connections, ${loadSeconds} s each; then one call at a time)\n`,
  );
  const row = (name: string, l: typeof gatewayLoad, one?: typeof gatewayLatency) => [
    name,
    formatNumber(l.requests),
    formatNumber(l.requestsPerSec),
    formatNumber(l.p50Ms, 2),
    formatNumber(l.p99Ms, 2),
    name.startsWith('direct') ? '—' : formatNumber(l.cpuUsPerCall),
    one ? formatNumber(one.medianUs / 1000, 2) : '—',
    one ? formatNumber(one.p99Us / 1000, 2) : '—',
  ];
  console.log(
    formatTable(
      [
        'Path',
        'calls',
        'calls/s',
        'p50 ms',
        'p99 ms',
        'CPU µs/call',
        'p50 ms (1 at a time)',
        'p99 ms (1 at a time)',
      ],
      [
        row('direct to the upstream (no proxy)', directLoad),
        row('baseline: bare node:http proxy', proxyLoad, proxyLatency),
        row('through the gateway', gatewayLoad, gatewayLatency),
      ],
      ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
    ),
  );
  const cpu = (us: number | undefined) => (us === undefined ? '—' : formatNumber(us));
  console.log('\nCPU µs per call, by process (from /proc; the machine column counts every process)\n');
  console.log(
    formatTable(
      ['Path', 'runtime or proxy', 'emulator', 'upstream', 'machine'],
      [
        ['direct to the upstream (no proxy)', directLoad],
        ['baseline: bare node:http proxy', proxyLoad],
        ['through the gateway', gatewayLoad],
      ].map(([name, l]) => {
        const run = l as typeof gatewayLoad;
        return [
          name as string,
          name === 'direct to the upstream (no proxy)' ? '—' : cpu(run.cpuUsPerCall),
          cpu(run.emulator),
          cpu(run.upstream),
          cpu(run.machine),
        ];
      }),
      ['left', 'right', 'right', 'right', 'right'],
    ),
  );
  const loadFigures = (l: typeof gatewayLoad, one?: typeof gatewayLatency) => ({
    callsPerSec: round(l.requestsPerSec),
    p50Ms: l.p50Ms,
    p99Ms: l.p99Ms,
    cpuUsPerCall: round(l.cpuUsPerCall),
    ...(l.emulator === undefined ? {} : { emulatorCpuUsPerCall: round(l.emulator) }),
    ...(l.upstream === undefined ? {} : { upstreamCpuUsPerCall: round(l.upstream) }),
    ...(l.machine === undefined ? {} : { machineCpuUsPerCall: round(l.machine) }),
    ...(one ? { oneAtATimeP50Ms: round(one.medianUs / 1000), oneAtATimeP99Ms: round(one.p99Us / 1000) } : {}),
  });
  const throughputRatio = gatewayLoad.requestsPerSec / proxyLoad.requestsPerSec;
  const addedP99UnderLoadMs = gatewayLoad.p99Ms - proxyLoad.p99Ms;
  const addedP50Ms = (gatewayLatency.medianUs - proxyLatency.medianUs) / 1000;
  const addedP99Ms = (gatewayLatency.p99Us - proxyLatency.p99Us) / 1000;
  console.log(
    `\nthroughput ratio (gateway ÷ bare proxy): ${throughputRatio.toFixed(2)} (goal ≥ 0.5); added p99 under load ${addedP99UnderLoadMs.toFixed(2)} ms (goal ≤ 5); ` +
      `added latency one at a time: p50 ${addedP50Ms.toFixed(2)} ms, p99 ${addedP99Ms.toFixed(2)} ms`,
  );

  const perRequest = awsDuring / gatewayLoad.requests;
  console.log(
    `\n3. AWS calls per request in a warm steady state (over the ${formatNumber(gatewayLoad.requests)} gateway calls above)\n`,
  );
  console.log(
    formatTable(
      ['SDK command', 'calls', 'per request'],
      [
        ...byCommand.map(([key, count]) => [
          key,
          formatNumber(count),
          (count / gatewayLoad.requests).toFixed(4),
        ]),
        ['all', formatNumber(awsDuring), perRequest.toFixed(4)],
      ],
      ['left', 'right', 'right'],
    ),
  );
  console.log(`\ngoal ≤ 0.05 AWS calls per request: ${perRequest <= 0.05 ? 'met' : 'NOT met'}`);

  console.log('\n4. Cold start of the hot-path functions (bench/support/cold-start.ts; goal ≤ 1.5× each)');
  const coldStarts = await measureColdStarts(REPO_ROOT, path.join(tmpdir(), 'portico-cold-start'));
  printColdStarts(coldStarts);

  console.log(
    JSON.stringify({
      bench: 'gateway',
      machine: machineInfo(),
      inProcess: {
        passThrough: { medianUs: round(stub.latency.medianUs), p99Us: round(stub.latency.p99Us) },
        token: {
          opsPerSec: round(tokenPath.throughput.opsPerSec),
          medianUs: round(tokenPath.latency.medianUs),
          p99Us: round(tokenPath.latency.p99Us),
          pipelineMedianUs: round(net(tokenPath, 'medianUs')),
          pipelineP99Us: round(net(tokenPath, 'p99Us')),
          identitySigningMedianUs: round(signing.latency.medianUs),
        },
        signature: {
          opsPerSec: round(signedPath.throughput.opsPerSec),
          medianUs: round(signedPath.latency.medianUs),
          p99Us: round(signedPath.latency.p99Us),
          pipelineMedianUs: round(net(signedPath, 'medianUs')),
          pipelineP99Us: round(net(signedPath, 'p99Us')),
        },
      },
      http: {
        connections: CONCURRENCY,
        seconds: loadSeconds,
        direct: loadFigures(directLoad),
        bareProxy: loadFigures(proxyLoad, proxyLatency),
        gateway: loadFigures(gatewayLoad, gatewayLatency),
        throughputRatio: round(throughputRatio),
        addedP99UnderLoadMs: round(addedP99UnderLoadMs),
        addedP50Ms: round(addedP50Ms),
        addedP99Ms: round(addedP99Ms),
      },
      analyticsRecord: {
        medianUs: round(recordResults[1]!.latency.medianUs),
        p99Us: round(recordResults[1]!.latency.p99Us),
      },
      awsCallsPerRequest: round(perRequest, 4),
      coldStarts: coldStarts.map((c) => ({
        name: c.name,
        bundleKb: round(c.bundleBytes / 1024),
        initMs: round(c.initMs),
        floorKb: round(c.floorBytes / 1024),
        floorInitMs: round(c.floorInitMs),
        ratio: round(c.ratio),
      })),
      awsCalls: Object.fromEntries(byCommand),
      options: { inProcess, sequential, defaults: DEFAULT_OPTIONS.run },
    }),
  );
} finally {
  await shutDown();
}
