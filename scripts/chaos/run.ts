import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { REPO_ROOT } from '../../infra/repo-root.ts';
import { localClients } from '../../local/aws.ts';
import { type Emulator, startMoto } from '../../local/emulator.ts';
import { type RuntimeProcess, startRuntimeProcess } from '../../test/support/runtime-process.ts';
import { Ledger, type LedgerSample } from './ledger.ts';
import { clientToken, createApp, createWebhookSubscription, putTopic } from './platform-api.ts';
import {
  ChaosReceiver,
  type FailureMix,
  failureRate,
  type ReceiverTotals,
  receiverTotals,
} from './receivers.ts';

export interface ChaosOptions {
  messages: number;
  topics: number;
  subscriptions: number;
  /** Subscriptions per app (each app subscribes with its own token). */
  subscriptionsPerApp: number;
  /** SIGKILLs of the delivering runtime, spread evenly over the publishing. */
  kills: number;
  /** Messages published per second (PutEvents batches of 10). */
  publishRate: number;
  /** Share of answers that fail while failures are on, by kind. */
  mix: FailureMix;
  /** Each subscription's retry schedule, in seconds. */
  retrySchedule: readonly number[];
  sampleEveryMs: number;
  /** After the failures stop, how long every pair has to reach Sent. */
  convergeTimeoutMs: number;
  /** An emulator to use instead of starting one (it must outlive the runtime). */
  endpoint?: string;
  /**
   * Sets PORTICO_LOCAL_VISIBILITY_TIMEOUT for the runtime: a queue message whose processing failed
   * comes back after this (at least the function's timeout) instead of the queue's 180 s. For the
   * CI-sized run only; the full run keeps the template's timeouts.
   */
  visibilityTimeoutSeconds?: number;
  /** Sets WEBHOOK_TIMEOUT_SECONDS for the runtime (15 by default): how long a hanging receiver holds a delivery. */
  webhookTimeoutSeconds?: number;
  /** Sets PORTICO_LOCAL_QUEUE_CONCURRENCY for the runtime (batches per queue at once; 5 by default). */
  queueConcurrency?: number;
  log: (line: string) => void;
}

export const FULL_RUN: Omit<ChaosOptions, 'log'> = {
  messages: 10_000,
  topics: 3,
  subscriptions: 20,
  subscriptionsPerApp: 4,
  kills: 2,
  // What the emulator sustains here with room to spare (about 170 DynamoDB calls/s; some 10 webhook
  // requests and 140 calls per message): an overloaded emulator answers so slowly that ingest batches
  // time out until their events land in the dead-letter queue. On a faster machine, raise --rate.
  publishRate: 0.8,
  // A timeout holds a delivery container for the whole 15 s send timeout, so it is the rarest failure;
  // 5xx answers and resets make up the rest of the 30 %.
  mix: { error: 0.198, reset: 0.1, hang: 0.002 },
  // 12 attempts (the platform's maximum): the chance that one pair fails 12 times in a row at 30 % is
  // 5e-7, so a run of 67,000 pairs converges; the waits keep the whole schedule under five minutes.
  retrySchedule: [0, 1, 2, 3, 5, 10, 15, 20, 30, 45, 60, 90],
  sampleEveryMs: 30_000,
  // Two batches per queue at once, not the runtime's five: each batch in progress queues more requests
  // at the emulator, and a record's calls, made one after another, must still fit in the function's
  // timeout when the machine is busy (at five, ingest batches timed out into the dead-letter queue).
  queueConcurrency: 2,
  convergeTimeoutMs: 15 * 60_000,
};

export interface KillRecord {
  atPublished: number;
  /** When the SIGKILL was sent (epoch ms). */
  killedAt: number;
  /** From the SIGKILL until the new runtime wrote its facts (ready). */
  restartMs: number;
  /** Pairs in flight (per the ledger) just before the kill. */
  inFlightBefore: number;
  /** From the SIGKILL until the ledger showed a delivery made after it. */
  resumedMs?: number;
}

export interface ChaosResult {
  options: Omit<ChaosOptions, 'log'>;
  publishedMessages: number;
  publishedPairs: number;
  durationMs: number;
  publishMs: number;
  /** From the end of the failures until every pair was Sent. */
  convergeMs: number;
  kills: KillRecord[];
  final: LedgerSample;
  samples: number;
  unbalancedSamples: LedgerSample[];
  maxInFlight: number;
  lost: number;
  receivers: ReceiverTotals;
  /** Requests for a webhook id that had already been answered 2xx, over the published pairs. */
  duplicateRatio: number;
  /** Delivery ids the receivers saw succeed, over the published pairs (1 when every pair arrived). */
  receivedRatio: number;
  verificationNotes: string[];
  /**
   * Each duplicate: how long after the 2xx it came, and whether a kill fell in between (`acrossKill`:
   * the 2xx went to the runtime that was killed and the request came again from its successor — the
   * runtime died between the receiver's answer and recording it, the redelivery at-least-once promises).
   */
  duplicates: { id: string; afterMs: number; acrossKill: boolean }[];
  /** Duplicates with no kill between the 2xx and the repeat, over the published pairs. */
  otherDuplicateRatio: number;
  undelivered: { messageId: string; subscriptionId: string; status: string }[];
  passed: boolean;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const TABLE = 'portico-MessagesTable';
const BUS = 'portico';

/**
 * The zero-loss chaos run: topics, apps and webhook subscriptions made through the public API, local
 * receivers that fail a share of their answers, messages published on the bus at a steady rate while
 * the runtime that delivers them is killed with SIGKILL and restarted, then the failures stop and every
 * (message × subscription) must reach Sent. The ledger is sampled throughout.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const { log } = options;
  const started = Date.now();
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    let emulator: Emulator | undefined;
    if (!options.endpoint) {
      emulator = await startMoto(path.join(REPO_ROOT, '.portico'), log);
      cleanups.push(() => emulator!.stop());
    }
    const endpoint = options.endpoint ?? emulator!.endpoint;
    const aws = localClients(endpoint);
    const stateDir = mkdtempSync(path.join(tmpdir(), 'portico-chaos-'));
    log(`emulator ${endpoint}, state ${stateDir}`);

    const receivers = await Promise.all(
      Array.from({ length: options.subscriptions }, (_, i) => new ChaosReceiver(`r${i + 1}`).start()),
    );
    cleanups.push(() => Promise.all(receivers.map((r) => r.stop())));

    const startRuntime = () =>
      startRuntimeProcess(
        {
          AWS_ENDPOINT_URL: endpoint,
          LOG_LEVEL: 'WARN',
          ...(options.visibilityTimeoutSeconds
            ? { PORTICO_LOCAL_VISIBILITY_TIMEOUT: String(options.visibilityTimeoutSeconds) }
            : {}),
          ...(options.webhookTimeoutSeconds
            ? { WEBHOOK_TIMEOUT_SECONDS: String(options.webhookTimeoutSeconds) }
            : {}),
          ...(options.queueConcurrency
            ? { PORTICO_LOCAL_QUEUE_CONCURRENCY: String(options.queueConcurrency) }
            : {}),
        },
        undefined,
        { stateDir },
      );
    let runtime: RuntimeProcess = await startRuntime();
    cleanups.push(() => runtime.stop());
    log(`runtime ${runtime.info.baseUrl} (pid ${runtime.child.pid}), log ${runtime.logFile}`);

    // Topics, apps and subscriptions, as an operator and as developers would make them.
    const { baseUrl, admin } = runtime.info;
    const adminToken = await clientToken(baseUrl, admin.clientId, admin.clientSecret);
    const runId = Date.now().toString(36);
    const topics = Array.from({ length: options.topics }, (_, i) => `chaos.t${i + 1}-${runId}`);
    const scope = 'chaos:read';
    for (const name of topics) {
      await putTopic(baseUrl, adminToken, name, {
        description: 'Chaos run topic: a counter and some padding.',
        owner: 'chaos',
        scope,
        payloadSchema: {
          type: 'object',
          required: ['n', 'topic'],
          properties: {
            n: { type: 'integer', minimum: 0 },
            topic: { type: 'string' },
            pad: { type: 'string' },
          },
        },
        example: { n: 0, topic: name },
        retentionDays: 30,
      });
    }
    const subscriptionsOf = new Map<string, string[]>(topics.map((t) => [t, []]));
    let appToken = '';
    for (let i = 0; i < receivers.length; i++) {
      if (i % options.subscriptionsPerApp === 0) {
        const app = await createApp(baseUrl, adminToken, {
          name: `chaos app ${i / options.subscriptionsPerApp + 1}`,
          scopes: [scope],
        });
        appToken = await clientToken(baseUrl, app.clientId, app.clientSecret);
      }
      const topic = topics[i % topics.length]!;
      const receiver = receivers[i]!;
      const { subscriptionId, secret } = await createWebhookSubscription(baseUrl, appToken, {
        topic,
        url: receiver.url,
        retrySchedule: options.retrySchedule,
      });
      receiver.secret = secret;
      subscriptionsOf.get(topic)!.push(subscriptionId);
    }
    log(
      `${topics.length} topics, ${receivers.length} subscriptions (${topics.map((t) => subscriptionsOf.get(t)!.length).join('/')}) on ${Math.ceil(receivers.length / options.subscriptionsPerApp)} apps`,
    );

    const ledger = new Ledger(aws.document, TABLE);
    for (const receiver of receivers) receiver.mix = options.mix;
    log(
      `failures on: ${(failureRate(options.mix) * 100).toFixed(0)} % of answers ${JSON.stringify(options.mix)}`,
    );

    // One sampler from the first publish to the end: every sample is checked, none run at once.
    let sampling = true;
    let lastSample: LedgerSample | undefined;
    // Asking for a sample now (before a kill) wakes the sampler; the promise resolves with that sample.
    let wake: ((sample: LedgerSample | undefined) => void)[] = [];
    const sampleNow = () => new Promise<LedgerSample | undefined>((resolve) => wake.push(resolve));
    const sampler = (async () => {
      while (sampling) {
        const waiting = wake;
        wake = [];
        const sample = await ledger.sample().catch((error: Error) => {
          log(`ledger sample failed: ${error.message}`);
          return undefined;
        });
        if (sample) {
          lastSample = sample;
          log(describe(sample));
        }
        for (const resolve of waiting) resolve(sample);
        const until = Date.now() + options.sampleEveryMs;
        while (sampling && wake.length === 0 && Date.now() < until) await sleep(200);
      }
      for (const resolve of wake) resolve(undefined);
    })();

    // Kills at even points of the publishing; the runtime comes back while publishing goes on.
    const kills: KillRecord[] = [];
    const killPoints = Array.from({ length: options.kills }, (_, k) =>
      Math.floor((options.messages * (k + 1)) / (options.kills + 1)),
    );
    const restarts: Promise<void>[] = [];
    const killAndRestart = async (atPublished: number) => {
      const inFlightBefore = (await sampleNow())?.inFlight ?? lastSample?.inFlight ?? 0;
      log(
        `SIGKILL runtime pid ${runtime.child.pid} at ${atPublished} messages published (last sample: ${inFlightBefore} pairs in flight)`,
      );
      const killedAt = Date.now();
      const exited = new Promise((resolve) => runtime.child.once('exit', resolve));
      for (const receiver of receivers) receiver.generation++;
      runtime.child.kill('SIGKILL');
      await exited;
      const requestsAtKill = receiverTotals(receivers).requests;
      runtime = await startRuntime();
      const record: KillRecord = { atPublished, killedAt, restartMs: Date.now() - killedAt, inFlightBefore };
      kills.push(record);
      log(`runtime back in ${(record.restartMs / 1000).toFixed(1)} s (pid ${runtime.child.pid})`);
      // Deliveries resumed when a receiver hears from the new runtime.
      for (let i = 0; i < 600; i++) {
        if (receiverTotals(receivers).requests > requestsAtKill) {
          record.resumedMs = Date.now() - killedAt;
          break;
        }
        await sleep(100);
      }
    };

    // Publishing at a steady rate, ten entries per PutEvents.
    const publishStarted = Date.now();
    let published = 0;
    while (published < options.messages) {
      const count = Math.min(10, options.messages - published);
      const entries: { entry: PutEventsRequestEntry; topic: string }[] = Array.from(
        { length: count },
        (_, i) => {
          const n = published + i;
          const topic = topics[n % topics.length]!;
          return {
            topic,
            entry: {
              EventBusName: BUS,
              Source: 'biz.chaos',
              DetailType: topic,
              Detail: JSON.stringify({ n, topic, pad: 'x'.repeat(64) }),
            },
          };
        },
      );
      let pending = entries;
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 20) throw new Error('the bus keeps refusing events');
        const { Entries = [] } = await aws.events
          .send(new PutEventsCommand({ Entries: pending.map((e) => e.entry) }))
          .catch((error: Error) => {
            log(`PutEvents failed: ${error.message}`);
            return { Entries: [] as { EventId?: string }[] };
          });
        const refused: typeof pending = [];
        pending.forEach((e, i) => {
          const id = Entries[i]?.EventId;
          if (id) ledger.recordPublished(id, e.topic, subscriptionsOf.get(e.topic)!);
          else refused.push(e);
        });
        pending = refused;
        if (pending.length > 0) await sleep(500);
      }
      published += count;
      if (killPoints.length > 0 && published >= killPoints[0]!) {
        killPoints.shift();
        restarts.push(killAndRestart(published));
      }
      const due = publishStarted + (published / options.publishRate) * 1000;
      await sleep(Math.max(0, due - Date.now()));
    }
    const publishMs = Date.now() - publishStarted;
    log(
      `published ${ledger.publishedMessages} messages (${ledger.publishedPairs} pairs) in ${(publishMs / 1000).toFixed(0)} s`,
    );
    await Promise.all(restarts);

    // Failures stay on until every pair has met them: each webhook id reached its receiver at least once.
    const attempted = () => receivers.reduce((sum, r) => sum + r.deliveries.size, 0);
    const chaosUntil = Date.now() + options.convergeTimeoutMs;
    while (attempted() < ledger.publishedPairs && Date.now() < chaosUntil) await sleep(500);
    log(`${attempted()} of ${ledger.publishedPairs} pairs attempted at least once under failures`);

    // The failures stop: every pair must now reach Sent.
    for (const receiver of receivers) receiver.mix = { error: 0, reset: 0, hang: 0 };
    const calmAt = Date.now();
    log('failures off');
    const settled = () =>
      lastSample !== undefined && lastSample.at > calmAt && lastSample.delivered === ledger.publishedPairs;
    while (!settled() && Date.now() - calmAt < options.convergeTimeoutMs) await sleep(500);
    const convergeMs = Date.now() - calmAt;
    // Late duplicates (a redelivered message whose first attempt had succeeded) show up within seconds.
    await sleep(3_000);
    sampling = false;
    await sampler;
    // The final ledger reads every pair again.
    const final = await ledger.sample({ full: true });
    log(`final ${describe(final)}`);

    const totals = receiverTotals(receivers);
    const undelivered = ledger.undelivered();
    const unbalancedSamples = ledger.samples.filter((s) => !s.balanced);
    const duplicates = receivers
      .flatMap((r) => r.duplicateLog)
      .map(({ id, afterMs, acrossKill }) => ({ id, afterMs, acrossKill }));
    const { log: _log, ...settings } = options;
    const result: ChaosResult = {
      options: settings,
      publishedMessages: ledger.publishedMessages,
      publishedPairs: ledger.publishedPairs,
      durationMs: Date.now() - started,
      publishMs,
      convergeMs,
      kills,
      final,
      samples: ledger.samples.length,
      unbalancedSamples,
      maxInFlight: Math.max(...ledger.samples.map((s) => s.inFlight)),
      lost: final.published - final.delivered,
      receivers: totals,
      duplicateRatio: totals.duplicates / Math.max(1, ledger.publishedPairs),
      receivedRatio: totals.succeeded / Math.max(1, ledger.publishedPairs),
      verificationNotes: receivers.flatMap((r) => r.failures.map((f) => `${r.name}: ${f}`)).slice(0, 20),
      duplicates,
      otherDuplicateRatio:
        duplicates.filter((d) => !d.acrossKill).length / Math.max(1, ledger.publishedPairs),
      undelivered,
      passed: false,
    };
    result.passed =
      result.lost === 0 &&
      final.balanced &&
      unbalancedSamples.length === 0 &&
      result.duplicateRatio <= 0.01 &&
      totals.verificationFailures === 0 &&
      totals.succeeded === ledger.publishedPairs &&
      kills.length === options.kills;
    return result;
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  }
}

export function describe(s: LedgerSample): string {
  return (
    `ledger: published ${s.published} = delivered ${s.delivered} + failed ${s.failed} + in flight ${s.inFlight} ` +
    `(queued ${s.queued}, paused ${s.paused}, awaiting ingest ${s.awaitingIngest}, awaiting fan-out ${s.awaitingFanOut})` +
    `${s.lost || s.regressed ? ` LOST ${s.lost} REGRESSED ${s.regressed}` : ''}` +
    ` ${s.balanced ? 'ok' : 'UNBALANCED'} [${s.read} read in ${s.readMs} ms]`
  );
}
