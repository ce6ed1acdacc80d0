/**
 * Isolation of the message path (`npm run bench:messages-isolation`): a healthy webhook subscription's
 * publish → delivered latency (p50/p99) alone, then in the same run while another subscription of its
 * topic has an endpoint that never answers and another topic is flooded with 5,000 messages; prints
 * both and the ratio (bound: p99 within 2× of its value alone). Through the real platform: a local
 * runtime process against moto, behind a counting proxy (bench/support/message-platform.ts).
 * Options: --flood 5000 --messages 40 --rate 2 --lead-ms 10000 --flood-via bus|api (the flood on the
 * bus as fast as it takes it, or through the publish API eight calls at a time). Ends with one JSON line.
 */
import { parseArgs } from 'node:util';
import { formatNumber, formatTable, machineInfo, round } from './support/measure.ts';
import { runIsolation } from './support/messages-isolation.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { values } = parseArgs({
  options: {
    flood: { type: 'string' },
    messages: { type: 'string' },
    rate: { type: 'string' },
    'lead-ms': { type: 'string' },
    'flood-via': { type: 'string' },
  },
});
const started = Date.now();
const result = await runIsolation({
  flood: Number(values.flood ?? 5_000),
  healthyMessages: Number(values.messages ?? 40),
  healthyRate: Number(values.rate ?? 2),
  floodLeadMs: Number(values['lead-ms'] ?? 10_000),
  floodVia: values['flood-via'] === 'api' ? 'api' : 'bus',
  log: (line) =>
    console.error(`[isolation ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`),
});

const { alone, hanging, underLoad } = result;
console.log('\nHealthy subscription, publish → delivered (ms)\n');
console.log(
  formatTable(
    ['Phase', 'deliveries', 'p50', 'p99', 'max', 'p99 ÷ alone', 'emulator calls/s', 'ms per call'],
    (
      [
        ['alone (baseline)', alone, result.emulator.alone],
        ['another endpoint of its topic hanging', hanging, result.emulator.hanging],
        ['hanging endpoint + another topic flooded', underLoad, result.emulator.underLoad],
      ] as const
    ).map(([name, s, load]) => [
      name,
      formatNumber(s.count),
      formatNumber(s.p50),
      formatNumber(s.p99),
      formatNumber(s.max),
      formatNumber(s.p99 / alone.p99, 2),
      formatNumber(load.callsPerSecond),
      formatNumber(load.meanMs, 1),
    ]),
    ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
  ),
);
console.log(
  `\np99 ratio ${formatNumber(result.p99Ratio, 2)} (bound ≤ 2: ${result.p99Ratio <= 2 ? 'met' : 'NOT met'}), ` +
    `p50 ratio ${formatNumber(underLoad.p50 / alone.p50, 2)}`,
);
console.log(
  `flood: ${formatNumber(result.floodDelivered)} of ${formatNumber(result.floodPublished)} delivered during the run ` +
    `(${formatNumber(result.floodMs / 1000, 1)} s); a healthy message got past up to ${result.overtaken} flood messages ` +
    `published before it and not yet delivered; the hanging endpoint got ${result.hangingRequests} requests`,
);
console.log('\nAWS calls of the runtime during the loaded phase\n');
console.log(
  formatTable(
    ['service:Operation', 'calls'],
    result.calls.map(([op, n]) => [op, formatNumber(n)]),
    ['left', 'right'],
  ),
);
console.log(
  JSON.stringify({
    benchmark: 'messages-isolation',
    machine: machineInfo(),
    floodVia: values['flood-via'] === 'api' ? 'api' : 'bus',
    alone,
    hanging,
    underLoad,
    emulator: result.emulator,
    p99Ratio: round(result.p99Ratio, 2),
    floodPublished: result.floodPublished,
    floodDelivered: result.floodDelivered,
    floodMs: result.floodMs,
    overtaken: result.overtaken,
    hangingRequests: result.hangingRequests,
  }),
);
process.exit(0);
