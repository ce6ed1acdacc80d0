import { randomUUID } from 'node:crypto';
import { PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { type LocalClients, localClients } from '../../local/aws.ts';
import type { Emulator } from '../../local/emulator.ts';
import {
  clientToken,
  createApp,
  createWebhookSubscription,
  putTopic,
} from '../../scripts/chaos/platform-api.ts';
import type { ChaosReceiver } from '../../scripts/chaos/receivers.ts';
import { startExternalEmulator } from '../../test/support/moto.ts';
import { type RuntimeProcess, startRuntimeProcess } from '../../test/support/runtime-process.ts';
import { type AwsCallCounter, startAwsCallCounter } from './aws-call-counter.ts';
import { percentile } from './measure.ts';

/**
 * The whole message path on this machine, for benchmarks and the isolation test: a moto server, a
 * counting proxy in front of it (started first, so every AWS call of the runtime goes through it), and
 * a local runtime process (`local/main.ts`, what `npm start` runs) pointed at the proxy. Topics, apps
 * and webhook subscriptions are made through the public API, as users make them (scripts/chaos/).
 * The harness's own calls (publishing on the bus) go to moto directly and are not counted.
 */
export interface MessagePlatform {
  baseUrl: string;
  emulator: Emulator;
  counter: AwsCallCounter;
  runtime: RuntimeProcess;
  /** Clients bound to moto directly (not counted). */
  aws: LocalClients;
  /** Clients bound to the counting proxy (counted like the platform's own calls). */
  counted: LocalClients;
  adminToken: string;
  stop(): Promise<void>;
}

export async function startMessagePlatform(env: Record<string, string> = {}): Promise<MessagePlatform> {
  const emulator = await startExternalEmulator();
  const counter = await startAwsCallCounter(emulator.endpoint).catch(async (error) => {
    await emulator.stop();
    throw error;
  });
  let runtime: RuntimeProcess;
  try {
    runtime = await startRuntimeProcess({ AWS_ENDPOINT_URL: counter.endpoint, LOG_LEVEL: 'WARN', ...env });
  } catch (error) {
    await counter.close();
    await emulator.stop();
    throw error;
  }
  const { baseUrl, admin } = runtime.info;
  const stop = async () => {
    await runtime.stop();
    await counter.close();
    await emulator.stop();
  };
  try {
    const adminToken = await clientToken(baseUrl, admin.clientId, admin.clientSecret);
    return {
      baseUrl,
      emulator,
      counter,
      runtime,
      aws: localClients(emulator.endpoint),
      counted: localClients(counter.endpoint),
      adminToken,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

const BENCH_SCHEMA = {
  type: 'object',
  required: ['n'],
  properties: { n: { type: 'integer', minimum: 0 }, pad: { type: 'string' } },
};

/** A topic whose payload is `{n, pad}`, readable with `scope`. */
export async function benchTopic(platform: MessagePlatform, name: string, scope: string): Promise<void> {
  await putTopic(platform.baseUrl, platform.adminToken, name, {
    description: 'Benchmark topic: a counter and some padding.',
    owner: 'bench',
    scope,
    payloadSchema: BENCH_SCHEMA,
    example: { n: 0 },
    retentionDays: 30,
  });
}

/** A new app holding `scopes`, and a token of it. */
export async function benchApp(platform: MessagePlatform, scopes: string[]): Promise<string> {
  const app = await createApp(platform.baseUrl, platform.adminToken, {
    name: `bench app ${randomUUID().slice(0, 8)}`,
    scopes,
  });
  return clientToken(platform.baseUrl, app.clientId, app.clientSecret);
}

/** A webhook subscription of `topic` to `receiver`, which learns its secret. */
export async function subscribe(
  platform: MessagePlatform,
  appToken: string,
  topic: string,
  receiver: ChaosReceiver,
  retrySchedule?: readonly number[],
): Promise<string> {
  const { subscriptionId, secret } = await createWebhookSubscription(platform.baseUrl, appToken, {
    topic,
    url: receiver.url,
    ...(retrySchedule ? { retrySchedule } : {}),
  });
  receiver.secret = secret;
  return subscriptionId;
}

/** When each message was published (epoch ms), by message id. */
export type PublishLog = Map<string, number>;

/**
 * Publishes `payloads` on the bus (source `biz.bench`, detail type = topic), ten per PutEvents, and
 * notes each message's id and publish time; an entry the bus refuses is sent again.
 */
export async function publishOnBus(
  platform: MessagePlatform,
  topic: string,
  payloads: readonly unknown[],
  log: PublishLog,
): Promise<void> {
  for (let i = 0; i < payloads.length; i += 10) {
    let pending: PutEventsRequestEntry[] = payloads.slice(i, i + 10).map((payload) => ({
      EventBusName: 'portico',
      Source: 'biz.bench',
      DetailType: topic,
      Detail: JSON.stringify(payload),
    }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 10) throw new Error('the bus keeps refusing events');
      const at = Date.now();
      const { Entries = [] } = await platform.aws.events.send(new PutEventsCommand({ Entries: pending }));
      const refused: PutEventsRequestEntry[] = [];
      pending.forEach((entry, n) => {
        const id = Entries[n]?.EventId;
        if (id) log.set(id, at);
        else refused.push(entry);
      });
      pending = refused;
    }
  }
}

/**
 * `POST /internal/v1/topics/{topic}/messages` as a publisher holding `publish:<topic>`; notes the
 * message's id and when the first call started. A 503 (a dependency too slow) is retried after its
 * Retry-After, as a publisher would, with the same Idempotency-Key: at most five calls.
 */
export async function publishByApi(
  platform: MessagePlatform,
  publisherToken: string,
  topic: string,
  payload: unknown,
  log: PublishLog,
): Promise<string> {
  const at = Date.now();
  const key = randomUUID();
  for (let attempt = 1; ; attempt++) {
    const answer = await publishOnce(platform, publisherToken, topic, payload, key);
    if (answer.messageId) {
      log.set(answer.messageId, at);
      return answer.messageId;
    }
    if (answer.status !== 503 || attempt >= 5) {
      throw new Error(`publishing to ${topic}: ${answer.status} ${answer.text}`);
    }
    await sleep(1_000 * Math.min(5, Number(answer.retryAfter ?? 1) || 1));
  }
}

async function publishOnce(
  platform: MessagePlatform,
  publisherToken: string,
  topic: string,
  payload: unknown,
  idempotencyKey: string,
): Promise<{ status: number; messageId?: string; retryAfter?: string; text: string }> {
  const response = await fetch(
    `${platform.baseUrl}/internal/v1/topics/${encodeURIComponent(topic)}/messages`,
    {
      method: 'POST',
      headers: {
        authorization: `Bearer ${publisherToken}`,
        'content-type': 'application/json',
        'idempotency-key': idempotencyKey,
      },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(30_000),
    },
  );
  const text = await response.text();
  let messageId: string | undefined;
  try {
    messageId = response.status === 202 ? (JSON.parse(text) as { messageId?: string }).messageId : undefined;
  } catch {}
  return {
    status: response.status,
    ...(messageId ? { messageId } : {}),
    ...(response.headers.get('retry-after') ? { retryAfter: response.headers.get('retry-after')! } : {}),
    text: text.slice(0, 300),
  };
}

/** Publishes `count` messages through the publish API, `inFlight` at a time. */
export async function publishManyByApi(
  platform: MessagePlatform,
  publisherToken: string,
  topic: string,
  count: number,
  inFlight: number,
  log: PublishLog,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const n = next++;
      await publishByApi(platform, publisherToken, topic, { n, pad: 'x'.repeat(64) }, log);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
}

/** Publish → first 2xx at the receiver, in ms, for every message of `log` the receiver got. */
export function deliveryLatencies(receiver: ChaosReceiver, log: PublishLog): number[] {
  const latencies: number[] = [];
  for (const record of receiver.deliveries.values()) {
    const publishedAt = log.get(record.messageId);
    if (publishedAt !== undefined && record.succeededAt !== undefined) {
      latencies.push(record.succeededAt - publishedAt);
    }
  }
  return latencies.sort((a, b) => a - b);
}

/** Deliveries of `log`'s messages the receivers answered 2xx. */
export const deliveredOf = (receivers: readonly ChaosReceiver[], log: PublishLog): number =>
  receivers.reduce(
    (sum, r) => sum + [...r.deliveries.values()].filter((d) => d.succeededAt && log.has(d.messageId)).length,
    0,
  );

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export const summarize = (sorted: readonly number[]): LatencySummary => ({
  count: sorted.length,
  p50: percentile(sorted, 50),
  p99: percentile(sorted, 99),
  max: sorted.at(-1) ?? Number.NaN,
});

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits until `done()` or `timeoutMs`; true when done. */
export async function waitFor(done: () => boolean, timeoutMs: number, intervalMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) return false;
    await sleep(intervalMs);
  }
  return true;
}
