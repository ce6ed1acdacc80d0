/**
 * Message path benchmark (`npm run bench:messages`), through the real platform on this machine: a
 * local runtime process (what `npm start` runs) against a moto server, with a counting proxy in front
 * of moto (bench/support/aws-call-counter.ts) through which every AWS call of the runtime goes.
 *
 *   1. baseline: raw SQS throughput on the same emulator in the same run — messages sent, received and
 *      deleted on a fresh queue, five consumers (the delivery poller's containers), batched as the
 *      platform's queue path is, and one call per message;
 *   2. delivery throughput: messages published on the bus, ten per PutEvents, with at most 30 of them
 *      not yet delivered everywhere at any time (a closed loop: a burst of hundreds only measures the
 *      emulator timing out), each fanned out to five webhook subscriptions whose local receivers answer
 *      200 at once; deliveries answered 2xx per second, from the first publish to the last delivery
 *      (publish, ingest, fan-out, delivery queue, delivery worker, signed POST, delivery recorded);
 *   3. AWS calls per delivered message over that run, by service and operation (everything the runtime
 *      sent, idle polling of the other queues included);
 *   4. publish → delivered latency (p50/p99) at a steady rate well below the measured throughput.
 *
 * Every loop is bounded in count and time; everything binds to 127.0.0.1. Options (all optional):
 * --messages 300 (phase 2) --subscriptions 5 --window 30 --latency-messages 60. Ends with one JSON line.
 */
import { parseArgs } from 'node:util';
import { ChaosReceiver } from '../scripts/chaos/receivers.ts';
import { callsBetween } from './support/aws-call-counter.ts';
import { formatNumber, formatTable, machineInfo, round } from './support/measure.ts';
import {
  benchApp,
  benchTopic,
  deliveredOf,
  deliveryLatencies,
  type PublishLog,
  publishOnBus,
  sleep,
  startMessagePlatform,
  subscribe,
  summarize,
  waitFor,
} from './support/message-platform.ts';
import { rawSqsThroughput } from './support/raw-sqs.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { values } = parseArgs({
  options: {
    messages: { type: 'string' },
    subscriptions: { type: 'string' },
    'latency-messages': { type: 'string' },
    window: { type: 'string' },
  },
});
const MESSAGES = Number(values.messages ?? 300);
const SUBSCRIPTIONS = Number(values.subscriptions ?? 5);
const LATENCY_MESSAGES = Number(values['latency-messages'] ?? 60);
/** The throughput run stops here even if deliveries are still arriving. */
const THROUGHPUT_CAP_MS = 240_000;
/** Messages published and not yet delivered everywhere, at most (the throughput run's window). */
const WINDOW = Number(values.window ?? 30);
const LATENCY_CAP_MS = 90_000;

const started = Date.now();
const log = (line: string) =>
  console.error(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);

const platform = await startMessagePlatform();
const receivers: ChaosReceiver[] = [];
try {
  log(`runtime ${platform.baseUrl} (pid ${platform.runtime.child.pid}), moto ${platform.emulator.endpoint}`);
  const runId = Date.now().toString(36);
  const topic = `bench.flow-${runId}`;
  const scope = 'bench:read';
  await benchTopic(platform, topic, scope);
  const appToken = await benchApp(platform, [scope]);
  for (let i = 0; i < SUBSCRIPTIONS; i++) {
    const receiver = await new ChaosReceiver(`bench${i + 1}`).start();
    receivers.push(receiver);
    await subscribe(platform, appToken, topic, receiver);
  }

  // 1. Baselines: the bare queue on the same emulator, through the same proxy.
  const rawBatched = await rawSqsThroughput(platform.counted.sqs, {
    batched: true,
    consumers: 5,
    bounds: { maxIterations: 5_000, maxMs: 20_000 },
  });
  const rawSingle = await rawSqsThroughput(platform.counted.sqs, {
    batched: false,
    consumers: 5,
    bounds: { maxIterations: 2_000, maxMs: 20_000 },
  });
  log(
    `raw SQS: ${formatNumber(rawBatched.perSecond)}/s batched, ${formatNumber(rawSingle.perSecond)}/s one call per message`,
  );

  // Warm-up: every container of the runtime's functions loaded, caches filled.
  const warmLog: PublishLog = new Map();
  await publishOnBus(
    platform,
    topic,
    Array.from({ length: 30 }, (_, n) => ({ n })),
    warmLog,
  );
  await waitFor(() => deliveredOf(receivers, warmLog) >= 30 * SUBSCRIPTIONS, 60_000);
  await sleep(2_000);

  // 2 and 3. Throughput and AWS calls.
  const flowLog: PublishLog = new Map();
  const expected = () => flowLog.size * SUBSCRIPTIONS;
  const before = platform.counter.snapshot();
  const beforeByResource = platform.counter.snapshotByResource();
  const beforeMs = platform.counter.snapshotMs();
  const flowStart = Date.now();
  // Closed loop: at most WINDOW messages published and not yet delivered everywhere. A burst of
  // hundreds would only measure the emulator falling over (its calls time out and are retried).
  for (let n = 0; n < MESSAGES && Date.now() - flowStart < THROUGHPUT_CAP_MS; n += 10) {
    await waitFor(
      () => flowLog.size - deliveredOf(receivers, flowLog) / SUBSCRIPTIONS < WINDOW,
      THROUGHPUT_CAP_MS,
      20,
    );
    await publishOnBus(
      platform,
      topic,
      Array.from({ length: Math.min(10, MESSAGES - n) }, (_, i) => ({ n: n + i, pad: 'x'.repeat(64) })),
      flowLog,
    );
  }
  const publishMs = Date.now() - flowStart;
  const allArrived = await waitFor(
    () => deliveredOf(receivers, flowLog) >= expected(),
    Math.max(0, THROUGHPUT_CAP_MS - (Date.now() - flowStart)),
    100,
  );
  const delivered = deliveredOf(receivers, flowLog);
  const lastAt = Math.max(
    ...receivers.flatMap((r) =>
      [...r.deliveries.values()].filter((d) => flowLog.has(d.messageId)).map((d) => d.succeededAt ?? 0),
    ),
  );
  const flowMs = (allArrived ? lastAt : Date.now()) - flowStart;
  const calls = callsBetween(before, platform.counter.snapshot());
  const callsByResource = callsBetween(beforeByResource, platform.counter.snapshotByResource());
  const msByOperation = new Map(callsBetween(beforeMs, platform.counter.snapshotMs()));
  const totalCalls = calls.reduce((sum, [, n]) => sum + n, 0);
  const perSecond = delivered / (flowMs / 1000);
  log(`throughput: ${delivered}/${expected()} deliveries in ${(flowMs / 1000).toFixed(1)} s`);
  await sleep(3_000);

  // 4. Latency at a steady rate: a quarter of the measured message rate, at most 4 messages/s.
  const rate = Math.max(0.5, Math.min(4, (perSecond / SUBSCRIPTIONS) * 0.25));
  const latencyLog: PublishLog = new Map();
  const latencyStart = Date.now();
  for (let n = 0; n < LATENCY_MESSAGES && Date.now() - latencyStart < LATENCY_CAP_MS; n++) {
    await publishOnBus(platform, topic, [{ n }], latencyLog);
    await sleep(Math.max(0, latencyStart + ((n + 1) / rate) * 1000 - Date.now()));
  }
  await waitFor(() => deliveredOf(receivers, latencyLog) >= latencyLog.size * SUBSCRIPTIONS, 60_000);
  const latency = summarize(receivers.flatMap((r) => deliveryLatencies(r, latencyLog)).sort((a, b) => a - b));

  // Report.
  const ratioBatched = perSecond / rawBatched.perSecond;
  const ratioSingle = perSecond / rawSingle.perSecond;
  console.log(`\nMessage path, ${SUBSCRIPTIONS} webhook subscriptions, receivers answering 200 at once\n`);
  console.log(
    formatTable(
      ['Measurement', 'messages', 'ms', 'per second', 'delivery ÷ this'],
      [
        [
          'baseline: raw SQS send+receive+delete, batches of 10',
          formatNumber(rawBatched.messages),
          formatNumber(rawBatched.elapsedMs),
          formatNumber(rawBatched.perSecond, 1),
          formatNumber(ratioBatched, 3),
        ],
        [
          'baseline: raw SQS send+receive+delete, one call each',
          formatNumber(rawSingle.messages),
          formatNumber(rawSingle.elapsedMs),
          formatNumber(rawSingle.perSecond, 1),
          formatNumber(ratioSingle, 3),
        ],
        [
          `Portico: webhook deliveries Sent (${MESSAGES} messages × ${SUBSCRIPTIONS})`,
          formatNumber(delivered),
          formatNumber(flowMs),
          formatNumber(perSecond, 1),
          '—',
        ],
      ],
      ['left', 'right', 'right', 'right', 'right'],
    ),
  );
  console.log(
    `\n${flowLog.size} messages published in ${formatNumber(publishMs)} ms, at most ${WINDOW} not yet delivered at a time; ${allArrived ? 'every delivery arrived' : `only ${delivered} of ${expected()} arrived within the cap`}`,
  );
  console.log(
    `\nPublish → delivered at ${formatNumber(rate, 2)} messages/s (${formatNumber(rate * SUBSCRIPTIONS, 1)} deliveries/s): ` +
      `${latency.count} deliveries, p50 ${formatNumber(latency.p50)} ms, p99 ${formatNumber(latency.p99)} ms, max ${formatNumber(latency.max)} ms`,
  );
  console.log(
    `\nAWS calls during the throughput run, per delivered message (${formatNumber(delivered)} delivered)\n`,
  );
  console.log(
    formatTable(
      ['service:Operation', 'calls', 'per delivery', 'mean ms at the emulator'],
      [
        ...calls.map(([op, n]) => [
          op,
          formatNumber(n),
          formatNumber(n / Math.max(1, delivered), 3),
          formatNumber((msByOperation.get(op) ?? 0) / n, 1),
        ]),
        ['all', formatNumber(totalCalls), formatNumber(totalCalls / Math.max(1, delivered), 3), ''],
      ],
      ['left', 'right', 'right', 'right'],
    ),
  );
  console.log('\nBy table or queue\n');
  console.log(
    formatTable(
      ['service:Operation resource', 'calls', 'per delivery'],
      callsByResource.map(([op, n]) => [op, formatNumber(n), formatNumber(n / Math.max(1, delivered), 3)]),
      ['left', 'right', 'right'],
    ),
  );
  console.log(
    JSON.stringify({
      benchmark: 'messages',
      machine: machineInfo(),
      subscriptions: SUBSCRIPTIONS,
      messages: MESSAGES,
      rawSqs: { batched: rawBatched, single: rawSingle },
      throughput: {
        delivered,
        expected: expected(),
        window: WINDOW,
        ms: flowMs,
        perSecond: round(perSecond, 1),
        ratioToBatched: round(ratioBatched, 3),
        ratioToSingle: round(ratioSingle, 3),
      },
      latency: { rate: round(rate, 2), ...latency },
      awsCalls: {
        total: totalCalls,
        perDelivery: round(totalCalls / Math.max(1, delivered), 3),
        byOperation: Object.fromEntries(calls.map(([op, n]) => [op, round(n / Math.max(1, delivered), 3)])),
      },
    }),
  );
} finally {
  await Promise.all(receivers.map((r) => r.stop()));
  await platform.stop();
}
