/**
 * `npm run chaos:messages`: the zero-loss chaos run of the message path (docs/benchmarks.md, "Messages:
 * zero loss under chaos"). Options, all optional (defaults in scripts/chaos/run.ts, FULL_RUN):
 * --messages 10000 --rate 0.8 (messages/s) --kills 2 --subscriptions 20 --topics 3 --concurrency 2
 * (batches per queue the runtime processes at once) --timeouts 0.002 (share of answers that hang)
 * --endpoint http://127.0.0.1:PORT (an emulator of yours; by default a moto server of the run's own).
 * Figures are printed and written to .portico/chaos-messages.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../infra/repo-root.ts';
import { failureRate } from './chaos/receivers.ts';
import { type ChaosResult, FULL_RUN, runChaos } from './chaos/run.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { values } = parseArgs({
  options: {
    messages: { type: 'string' },
    rate: { type: 'string' },
    kills: { type: 'string' },
    subscriptions: { type: 'string' },
    topics: { type: 'string' },
    endpoint: { type: 'string' },
    concurrency: { type: 'string' },
    timeouts: { type: 'string' },
  },
});
const number = (value: string | undefined, fallback: number) =>
  value === undefined ? fallback : Number(value);

const started = new Date();
const log = (line: string) =>
  console.log(`[chaos ${((Date.now() - started.getTime()) / 1000).toFixed(0).padStart(5)} s] ${line}`);

const result = await runChaos({
  ...FULL_RUN,
  messages: number(values.messages, FULL_RUN.messages),
  publishRate: number(values.rate, FULL_RUN.publishRate),
  kills: number(values.kills, FULL_RUN.kills),
  subscriptions: number(values.subscriptions, FULL_RUN.subscriptions),
  topics: number(values.topics, FULL_RUN.topics),
  ...(values.concurrency ? { queueConcurrency: Number(values.concurrency) } : {}),
  // The share of answers that hang (timeouts); 5xx answers make up the rest of the failing 30 %.
  ...(values.timeouts
    ? {
        mix: {
          ...FULL_RUN.mix,
          hang: Number(values.timeouts),
          error: failureRate(FULL_RUN.mix) - FULL_RUN.mix.reset - Number(values.timeouts),
        },
      }
    : {}),
  ...(values.endpoint ? { endpoint: values.endpoint } : {}),
  log,
});

console.log(summary(result));
const out = path.join(REPO_ROOT, '.portico', 'chaos-messages.json');
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify({ startedAt: started.toISOString(), ...result }, null, 2)}\n`);
console.log(`figures written to ${path.relative(process.cwd(), out)}`);
process.exit(result.passed ? 0 : 1);

function summary(r: ChaosResult): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const pct = (x: number) => `${(x * 100).toFixed(3)} %`;
  const { receivers: t, final } = r;
  const failing = t.answered.error + t.answered.reset + t.answered.hang;
  return [
    '',
    `Zero loss under chaos: ${r.passed ? 'PASSED' : 'FAILED'}`,
    `  published          ${r.publishedMessages} messages on ${r.options.topics} topics → ${r.publishedPairs} (message × subscription) pairs, ${r.options.subscriptions} subscriptions`,
    `  publishing         ${s(r.publishMs)} at ${r.options.publishRate} messages/s`,
    `  kills              ${r.kills.map((k) => `SIGKILL at ${k.atPublished} published (${k.inFlightBefore} in flight), back in ${s(k.restartMs)}, delivering again after ${k.resumedMs === undefined ? '—' : s(k.resumedMs)}`).join('; ')}`,
    `  receivers          ${t.requests} requests: ${t.answered.ok} 2xx, ${t.answered.error} 5xx, ${t.answered.reset} resets, ${t.answered.hang} timeouts (${pct(failing / Math.max(1, t.requests))} failed)`,
    `  signatures         ${t.verified} verified with standardwebhooks, ${t.verificationFailures} failed`,
    `  final ledger       delivered ${final.delivered} / ${final.published}, failed ${final.failed}, in flight ${final.inFlight}: lost ${r.lost}`,
    `  received           ${t.succeeded} distinct webhook ids answered 2xx (${pct(r.receivedRatio)} of pairs)`,
    `  duplicates         ${t.duplicates} requests after a 2xx for the same webhook-id (${pct(r.duplicateRatio)} of pairs; bound 1 %), ${r.duplicates.filter((d) => d.acrossKill).length} of them across a kill`,
    `  ledger samples     ${r.samples}, unbalanced ${r.unbalancedSamples.length}, max in flight ${r.maxInFlight}`,
    `  converged          ${s(r.convergeMs)} after the failures stopped; whole run ${s(r.durationMs)}`,
    ...(r.undelivered.length > 0
      ? ['  not delivered:', ...r.undelivered.map((u) => `    ${JSON.stringify(u)}`)]
      : []),
    ...(r.verificationNotes.length > 0
      ? ['  receiver notes:', ...r.verificationNotes.map((n) => `    ${n}`)]
      : []),
  ].join('\n');
}
