import { ChaosReceiver } from '../../scripts/chaos/receivers.ts';
import { callsBetween } from './aws-call-counter.ts';
import {
  benchApp,
  benchTopic,
  deliveredOf,
  deliveryLatencies,
  type LatencySummary,
  type PublishLog,
  publishByApi,
  publishManyByApi,
  publishOnBus,
  sleep,
  startMessagePlatform,
  subscribe,
  summarize,
  waitFor,
} from './message-platform.ts';

export interface IsolationOptions {
  /** Messages published to the flooded topic, on the bus, as fast as it takes them. */
  flood: number;
  /** Messages published to the healthy subscription's topic in each phase. */
  healthyMessages: number;
  /** Their rate (messages/s), through the internal publish API. */
  healthyRate: number;
  /** Messages of the warm-up before the first phase (`healthyMessages` unless given). */
  warmUpMessages?: number;
  /** How long the flood runs before the healthy messages of the last phase start (ms). */
  floodLeadMs: number;
  /**
   * `bus`: the flood is put on the bus, ten per PutEvents, as fast as it takes them; `api`: through the
   * publish API, `floodInFlight` calls at a time.
   */
  floodVia: 'bus' | 'api';
  floodInFlight?: number;
  log: (line: string) => void;
}

/** What the emulator went through during a phase: calls answered, and their mean time there. */
export interface EmulatorLoad {
  callsPerSecond: number;
  meanMs: number;
}

export interface IsolationResult {
  /** The emulator's load in each phase (alone, hanging, underLoad). */
  emulator: { alone: EmulatorLoad; hanging: EmulatorLoad; underLoad: EmulatorLoad };
  alone: LatencySummary;
  /** With another subscription of the same topic whose endpoint hangs. */
  hanging: LatencySummary;
  /** With the hanging endpoint and the flood. */
  underLoad: LatencySummary;
  /** underLoad.p99 ÷ alone.p99 (bound: 2). */
  p99Ratio: number;
  floodPublished: number;
  /** Flood messages published, and their deliveries answered 2xx, by the end of the last phase. */
  floodDelivered: number;
  floodMs: number;
  /**
   * The most flood messages published before one of the healthy messages of the last phase, and not
   * yet delivered when that healthy message was: how far it got past the flood's backlog (0 when it
   * never overtook any, as behind a first-in-first-out queue).
   */
  overtaken: number;
  /** Requests the hanging endpoint received (each held until the platform gave up). */
  hangingRequests: number;
  /** AWS calls of the runtime during the second phase, by service:Operation. */
  calls: [string, number][];
}

/**
 * The isolation run: a healthy webhook subscription's publish → delivered latency measured alone, then
 * again while another subscription of the same topic has an endpoint that never answers (the platform
 * gives up after its 15 s send timeout) and another topic is flooded with `flood` messages to its own
 * subscription. The healthy topic is published through the internal publish API, one message at a
 * time at a steady rate; the flood on the bus, ten per PutEvents, as fast as the bus takes them.
 */
export async function runIsolation(options: IsolationOptions): Promise<IsolationResult> {
  const { log } = options;
  const platform = await startMessagePlatform();
  const receivers: ChaosReceiver[] = [];
  try {
    log(`runtime ${platform.baseUrl} (pid ${platform.runtime.child.pid}), log ${platform.runtime.logFile}`);
    const runId = Date.now().toString(36);
    const healthyTopic = `bench.healthy-${runId}`;
    const floodTopic = `bench.flood-${runId}`;
    const scope = 'bench:read';
    await benchTopic(platform, healthyTopic, scope);
    await benchTopic(platform, floodTopic, scope);
    const appToken = await benchApp(platform, [scope]);
    const publisher = await benchApp(platform, [`publish:${healthyTopic}`, `publish:${floodTopic}`]);
    const start = async (receiver: ChaosReceiver) => {
      receivers.push(receiver);
      return receiver.start();
    };
    const healthy = await start(new ChaosReceiver('healthy'));
    const hanging = await start(new ChaosReceiver('hanging', 16_000));
    hanging.mix = { error: 0, reset: 0, hang: 1 };
    const flooded = await start(new ChaosReceiver('flooded'));
    await subscribe(platform, appToken, healthyTopic, healthy);
    await subscribe(platform, appToken, floodTopic, flooded);

    const loads: EmulatorLoad[] = [];
    const phase = async (
      name: string,
      published: PublishLog = new Map(),
      messages = options.healthyMessages,
    ): Promise<LatencySummary> => {
      const started = Date.now();
      const calls = platform.counter.snapshot();
      const ms = platform.counter.snapshotMs();
      let refused = 0;
      for (let n = 0; n < messages; n++) {
        // A publish the platform kept refusing (503: the emulator too slow) is counted, not measured.
        await publishByApi(platform, publisher, healthyTopic, { n }, published).catch(() => refused++);
        await sleep(Math.max(0, started + ((n + 1) / options.healthyRate) * 1000 - Date.now()));
      }
      const all = await waitFor(() => deliveredOf([healthy], published) >= published.size, 60_000);
      const latency = summarize(deliveryLatencies(healthy, published));
      const answered = callsBetween(calls, platform.counter.snapshot()).reduce((sum, [, n]) => sum + n, 0);
      const waited = callsBetween(ms, platform.counter.snapshotMs()).reduce((sum, [, n]) => sum + n, 0);
      const load = {
        callsPerSecond: answered / ((Date.now() - started) / 1000),
        meanMs: waited / Math.max(1, answered),
      };
      loads.push(load);
      log(
        `${name}: ${latency.count}/${published.size} delivered${all ? '' : ' (not all within 60 s)'}${refused ? `, ${refused} publishes refused` : ''}, p50 ${latency.p50} ms, p99 ${latency.p99} ms; ` +
          `emulator ${load.callsPerSecond.toFixed(0)} calls/s, ${load.meanMs.toFixed(0)} ms each (long polls included)`,
      );
      return latency;
    };

    // Warm-up: every container has taken a batch and filled its caches.
    await phase('warm-up', new Map(), options.warmUpMessages ?? options.healthyMessages);
    const alone = await phase('alone');

    await subscribe(platform, appToken, healthyTopic, hanging);
    const hangingAlone = await phase('with a hanging endpoint');
    const floodLog: PublishLog = new Map();
    const floodStart = Date.now();
    const before = platform.counter.snapshot();
    const flooding =
      options.floodVia === 'bus'
        ? publishOnBus(
            platform,
            floodTopic,
            Array.from({ length: options.flood }, (_, n) => ({ n, pad: 'x'.repeat(64) })),
            floodLog,
          )
        : publishManyByApi(
            platform,
            publisher,
            floodTopic,
            options.flood,
            options.floodInFlight ?? 8,
            floodLog,
          );
    await sleep(options.floodLeadMs);
    const loadedLog: PublishLog = new Map();
    const underLoad = await phase('with a hanging endpoint and a flood', loadedLog);
    const published = floodLog.size;
    const floodMs = Date.now() - floodStart;
    const calls = callsBetween(before, platform.counter.snapshot());
    const floodDelivered = deliveredOf([flooded], floodLog);
    const floodArrived = new Map(
      [...flooded.deliveries.values()].flatMap((d) => (d.succeededAt ? [[d.messageId, d.succeededAt]] : [])),
    );
    let overtaken = 0;
    for (const record of healthy.deliveries.values()) {
      const publishedAt = loadedLog.get(record.messageId);
      const arrivedAt = record.succeededAt;
      if (publishedAt === undefined || arrivedAt === undefined) continue;
      let behind = 0;
      for (const [messageId, floodAt] of floodLog) {
        if (floodAt < publishedAt && (floodArrived.get(messageId) ?? Number.POSITIVE_INFINITY) > arrivedAt)
          behind++;
      }
      overtaken = Math.max(overtaken, behind);
    }
    // The rest of the flood is not waited for: the runtime and its emulator stop with it.
    flooding.catch(() => undefined);
    log(
      `flood: ${floodDelivered} of ${published} published (of ${options.flood}) delivered in ${(floodMs / 1000).toFixed(1)} s; ` +
        `a healthy message overtook up to ${overtaken} of them; hanging endpoint got ${hanging.totals.requests} requests`,
    );
    return {
      emulator: { alone: loads[1]!, hanging: loads[2]!, underLoad: loads[3]! },
      alone,
      hanging: hangingAlone,
      underLoad,
      p99Ratio: underLoad.p99 / alone.p99,
      floodPublished: published,
      floodDelivered,
      floodMs,
      overtaken,
      hangingRequests: hanging.totals.requests,
      calls,
    };
  } finally {
    await Promise.all(receivers.map((r) => r.stop()));
    await platform.stop();
  }
}
