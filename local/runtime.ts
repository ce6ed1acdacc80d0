import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { REPO_ROOT } from '../infra/repo-root.ts';
import { ENV } from '../shared/config/names.ts';
import { localClients } from './aws.ts';
import { startDemoUpstream } from './demo-upstream.ts';
import { type Emulator, StartupError, startEmulator } from './emulator.ts';
import { RouteTable } from './http-routes.ts';
import { type ControlHandler, createApiServer } from './http-server.ts';
import { LambdaHost } from './lambda-host.ts';
import { startLambdaInvokeServer } from './lambda-invoke-server.ts';
import { LeaseJournal, releaseOrphanedLeases } from './leases.ts';
import { type LocalPlan, planLocal } from './plan.ts';
import { type Poller, pollQueue, pollStream } from './pollers.ts';
import { LocalResources } from './provision.ts';
import { LocalScheduler } from './scheduler.ts';
import { type SeedResult, seedDemo } from './seed.ts';
import { cachedStacks } from './synth-cache.ts';
import { LOCAL_REGION } from './template.ts';
import { webAssets } from './web-assets.ts';
import { ensureWebBuild } from './web-build.ts';
import { WebSocketApiServer } from './websocket-server.ts';

export interface RuntimeOptions {
  port: number;
  /** When false, a busy port is replaced by a free one instead of failing. */
  strictPort: boolean;
  stateDir: string;
  log: (line: string) => void;
  logLevel: string;
  accessLog: boolean;
  /** What the previous run against the same persistent endpoint seeded, and where its demo upstream listened. */
  previousSeed?: Partial<SeedResult> & { upstreamUrl?: string };
}

export interface RuntimeInfo extends SeedResult {
  baseUrl: string;
  /** The WebSocket API's stage URL (the message stream), served on a loopback port of its own. */
  webSocketUrl?: string;
  awsEndpoint: string;
  /** The Lambda Invoke endpoint serving the template's functions (the gateway's Lambda upstreams). */
  lambdaEndpoint: string;
  upstreamUrl: string;
  emulator: 'moto' | 'external';
  pids: { runtime: number; emulator?: number };
}

export interface Runtime {
  info: RuntimeInfo;
  plan: LocalPlan;
  stop(): Promise<void>;
}

/** Variables every function carries that legitimately differ between functions. */
const PER_FUNCTION_VARIABLES = new Set(['POWERTOOLS_SERVICE_NAME', 'NODE_OPTIONS', 'POWERTOOLS_LOG_LEVEL']);

/**
 * Batches of one SQS mapping processed at once, each in its own container: Lambda starts an SQS event
 * source with five concurrent batches (and scales up from there); `ScalingConfig.MaximumConcurrency`
 * caps it. Without it one slow batch (a webhook that hangs for its whole timeout) would hold every
 * other delivery back, which the cloud does not do.
 */
const QUEUE_CONCURRENCY = 5;

/**
 * `PORTICO_LOCAL_QUEUE_CONCURRENCY` (1–10) changes the five, for an emulator that cannot keep up: every
 * batch in progress adds requests to its queue, and a record's calls one after another must still fit
 * in the function's timeout.
 */
function queueConcurrency(properties: Record<string, unknown> | undefined): number {
  const asked = Number(process.env.PORTICO_LOCAL_QUEUE_CONCURRENCY);
  const base = Number.isInteger(asked) && asked >= 1 && asked <= 10 ? asked : QUEUE_CONCURRENCY;
  const cap = Number(
    (properties?.ScalingConfig as { MaximumConcurrency?: unknown } | undefined)?.MaximumConcurrency,
  );
  return Number.isInteger(cap) && cap > 0 ? Math.min(cap, base) : base;
}

/**
 * `PORTICO_LOCAL_VISIBILITY_TIMEOUT` (seconds), for tests only: a message whose processing failed, or
 * whose runtime died, comes back after this instead of the queue's own visibility timeout (180 s for
 * the delivery queue), but never before the consuming function's timeout, so a batch still being
 * processed is not handed out twice. Unset (the default) the template's visibility timeout applies.
 */
function shortVisibility(functionTimeoutMs: number | undefined): { visibilityTimeoutSeconds?: number } {
  const asked = Number(process.env.PORTICO_LOCAL_VISIBILITY_TIMEOUT);
  if (!process.env.PORTICO_LOCAL_VISIBILITY_TIMEOUT || !(asked > 0)) return {};
  return { visibilityTimeoutSeconds: Math.max(Math.ceil(asked), Math.ceil((functionTimeoutMs ?? 0) / 1000)) };
}

function previousPort(url: string | undefined): number {
  if (!url) return 0;
  try {
    return Number(new URL(url).port) || 0;
  } catch {
    return 0;
  }
}

export class PortInUseError extends StartupError {
  override name = 'PortInUseError';
}

async function listen(server: http.Server, port: number, strict: boolean): Promise<number> {
  const attempt = (p: number) =>
    new Promise<number>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) => reject(error);
      server.once('error', onError);
      server.listen(p, '127.0.0.1', () => {
        server.off('error', onError);
        resolve((server.address() as AddressInfo).port);
      });
    });
  try {
    return await attempt(port);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    if (strict)
      throw new PortInUseError(
        `port ${port} is already in use: stop what uses it, or set PORT=0 for a free port`,
      );
    return attempt(0);
  }
}

/**
 * Starts the whole platform on this machine from the synthesized CDK templates: emulator, resources,
 * HTTP API, event-source pollers, schedules, demo upstream and demo data.
 */
export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const { log } = options;
  const phases: string[] = [];
  let phaseStart = performance.now();
  const phase = (name: string) => {
    const now = performance.now();
    phases.push(`${name} ${((now - phaseStart) / 1000).toFixed(1)} s`);
    phaseStart = now;
  };
  const cleanups: (() => Promise<void> | void)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
    cleanups.length = 0;
  };
  const emulatorStarting = startEmulator(options.stateDir, log);
  try {
    const plan = planLocal(
      await cachedStacks(REPO_ROOT, path.join(REPO_ROOT, '.portico', 'cache')),
      REPO_ROOT,
    );
    phase('synth');
    if (plan.problems.length > 0) {
      throw new StartupError(
        `the CDK app has resources the local runtime cannot serve:\n- ${plan.problems.join('\n- ')}`,
      );
    }
    const webDist = await ensureWebBuild(REPO_ROOT, log);
    phase('web');
    const emulator: Emulator = await emulatorStarting;
    cleanups.push(() => emulator.stop());
    phase('emulator');
    // The previous run's port when it is free: the demo webhook subscription keeps its URL.
    const upstream = await startDemoUpstream(previousPort(options.previousSeed?.upstreamUrl), (line) =>
      log(`demo upstream: ${line}`),
    );
    cleanups.push(() => upstream.close());

    const routes = new RouteTable<string>();
    const functions = new Map(
      [...plan.functions].map(([id, fn]) => [id, { ...fn, name: `portico-${fn.id.logicalId}` }]),
    );
    const host = new LambdaHost(functions, REPO_ROOT);
    let scheduler: LocalScheduler | undefined;
    const control: ControlHandler = async (req) => {
      const fire = /^\/_local\/schedules\/([A-Za-z0-9]+)\/fire$/.exec(req.url ?? '');
      if (!fire || req.method !== 'POST') return undefined;
      const schedule = scheduler?.find(fire[1]!);
      if (!schedule) return { status: 404, body: { message: 'no such schedule' } };
      return { status: 200, body: { result: await scheduler!.fire(schedule) } };
    };
    const server = createApiServer({
      routes,
      host,
      log,
      control,
      web: webAssets(webDist),
      accessLog: options.accessLog,
    });
    const port = await listen(server, options.port, options.strictPort);
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    );
    const baseUrl = `http://127.0.0.1:${port}`;
    upstream.trustIssuer(baseUrl);

    // Each WebSocket API has an origin of its own, as in the cloud: the port after the API's when free.
    const webSocketEndpoints = new Map<string, string>();
    const webSocketServers: WebSocketApiServer[] = [];
    let webSocketUrl: string | undefined;
    for (const [i, api] of plan.webSocketApis.entries()) {
      const webSocket = new WebSocketApiServer({ api, host, log, accessLog: options.accessLog });
      cleanups.push(() => webSocket.close());
      const wanted = options.port === 0 ? 0 : port + 1 + i;
      const endpoint = await webSocket.listen(wanted).catch(() => webSocket.listen(0));
      webSocketServers.push(webSocket);
      webSocketEndpoints.set(`${api.id.stackName}/${api.id.logicalId}`, endpoint);
      webSocketUrl ??= `${endpoint}/${api.stageNames[0]}`;
    }

    const aws = localClients(emulator.endpoint);
    const resources = new LocalResources(plan, aws, baseUrl, webSocketEndpoints);
    await resources.provisionAll();
    phase('resources');

    // Lambda's Invoke for the template's functions, under the names they have here: what the gateway's
    // Lambda upstreams call (moto's Lambda needs Docker to run code).
    const invokable = new Map<string, { id: string; timeoutMs: number }>();
    for (const [id, fn] of plan.functions)
      invokable.set((await resources.physical(fn.id.logicalId, fn.id.stackName)).ref, {
        id,
        timeoutMs: fn.timeoutMs,
      });
    const lambdaEndpoint = await startLambdaInvokeServer({ host, functions: invokable, log });
    cleanups.push(() => lambdaEndpoint.close());

    const environment: Record<string, string> = {};
    for (const fn of plan.functions.values()) {
      const variables = (await resources.resolve(
        (fn.id.resource.Properties?.Environment as { Variables?: object } | undefined)?.Variables ?? {},
        fn.id.stackName,
      )) as Record<string, string>;
      for (const [name, value] of Object.entries(variables)) {
        if (PER_FUNCTION_VARIABLES.has(name)) continue;
        if (environment[name] !== undefined && environment[name] !== String(value)) {
          throw new Error(`functions disagree on ${name}; give one of them another variable name`);
        }
        environment[name] = String(value);
      }
    }
    // The demo upstream and test upstreams listen on loopback: allowed locally unless EGRESS_ALLOW is set.
    const egressAllow =
      process.env[ENV.egressAllow] ?? [environment[ENV.egressAllow], 'loopback'].filter(Boolean).join(',');
    Object.assign(process.env, environment, {
      [ENV.egressAllow]: egressAllow,
      // The emulator's Athena answers no rows: searches read the log objects.
      [ENV.logSearchEngine]: 'objects',
      AWS_ENDPOINT_URL: emulator.endpoint,
      AWS_ENDPOINT_URL_LAMBDA: lambdaEndpoint.url,
      AWS_REGION: process.env.AWS_REGION ?? LOCAL_REGION,
      AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'local',
      AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
      POWERTOOLS_LOG_LEVEL: options.logLevel,
      AWS_LAMBDA_LOG_LEVEL: options.logLevel,
      // EMF lines would drown the console: shown only when debugging. No X-Ray daemon runs here.
      POWERTOOLS_METRICS_DISABLED: options.logLevel === 'DEBUG' ? 'false' : 'true',
      POWERTOOLS_TRACE_ENABLED: 'false',
    });
    await host.loadAll();
    for (const route of plan.routes) routes.add(route.routeKey, route.functionId);
    for (const webSocket of webSocketServers) webSocket.open();
    phase('functions');

    scheduler = new LocalScheduler(plan.triggers, plan.schedules, host, log);
    cleanups.push(() => scheduler?.stop());
    await scheduler.start();
    phase('schedules');

    const seed = await seedDemo(
      aws,
      {
        identityTable: environment[ENV.identityTable]!,
        registryTable: environment[ENV.registryTable]!,
        messagesTable: environment[ENV.messagesTable]!,
        keyId: environment[ENV.secretsKeyId]!,
        upstreamTargetPrefix: environment[ENV.upstreamTargetPrefix]!,
        webOrigin: baseUrl,
      },
      upstream.url,
      options.previousSeed,
    );
    upstream.inbox.trust(seed.webhook.secret);

    // Messages a killed predecessor was processing come back now rather than after their visibility timeout.
    const released = await releaseOrphanedLeases(options.stateDir, emulator.endpoint, aws, log);
    if (released > 0) log(`handed back ${released} queue message(s) a previous run left in flight`);
    const leases = new LeaseJournal(options.stateDir, emulator.endpoint);
    const pollers: Poller[] = [];
    cleanups.push(async () => {
      await Promise.all(pollers.map((p) => p.stop()));
      leases.close();
    });
    for (const mapping of plan.queueMappings) {
      const queue = await resources.physical(mapping.queue.logicalId, mapping.queue.stackName);
      pollers.push(
        pollQueue(
          {
            functionId: mapping.functionId,
            queueUrl: queue.ref,
            queueArn: queue.attributes.Arn!,
            batchSize: mapping.batchSize,
            maxBatchingWindowSeconds: mapping.maxBatchingWindowSeconds,
            reportBatchItemFailures: mapping.reportBatchItemFailures,
            concurrency: queueConcurrency(mapping.id.resource.Properties),
            leases,
            ...shortVisibility(plan.functions.get(mapping.functionId)?.timeoutMs),
          },
          aws,
          host,
          log,
        ),
      );
    }
    for (const mapping of plan.streamMappings) {
      const stream = await resources.physical(mapping.stream.logicalId, mapping.stream.stackName);
      const onFailure = mapping.onFailure
        ? await resources.physical(mapping.onFailure.logicalId, mapping.onFailure.stackName)
        : undefined;
      pollers.push(
        await pollStream(
          {
            functionId: mapping.functionId,
            streamName: stream.ref,
            streamArn: stream.attributes.Arn!,
            batchSize: mapping.batchSize,
            maxBatchingWindowSeconds: mapping.maxBatchingWindowSeconds,
            startingPosition: mapping.startingPosition,
            maximumRetryAttempts: mapping.maximumRetryAttempts,
            ...(onFailure ? { onFailureQueueUrl: onFailure.ref } : {}),
          },
          aws,
          host,
          log,
        ),
      );
    }

    phase('seed and pollers');
    log(`started: ${phases.join(', ')}`);
    return {
      plan,
      stop,
      info: {
        baseUrl,
        ...(webSocketUrl ? { webSocketUrl } : {}),
        awsEndpoint: emulator.endpoint,
        lambdaEndpoint: lambdaEndpoint.url,
        upstreamUrl: upstream.url,
        emulator: emulator.external ? 'external' : 'moto',
        pids: { runtime: process.pid, ...(emulator.pid ? { emulator: emulator.pid } : {}) },
        ...seed,
      },
    };
  } catch (error) {
    await stop();
    await emulatorStarting.then((e) => e.stop()).catch(() => undefined);
    throw error;
  }
}
