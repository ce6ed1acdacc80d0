import type { CheckFailure, TestCase, TestRun } from '../api/test-cases.ts';
import { formatMs } from '../ui/format.ts';

/** "Every minute", "Every 15 minutes", "Every 2 hours", "Every day". */
export function everyText(minutes: number): string {
  if (minutes === 1) return 'Every minute';
  if (minutes === 1440) return 'Every day';
  if (minutes % 60 === 0) return minutes === 60 ? 'Every hour' : `Every ${minutes / 60} hours`;
  return `Every ${minutes} minutes`;
}

/** When the scheduler runs a case: its interval, paused while disabled, or only when asked. */
export function scheduleText(testCase: Pick<TestCase, 'everyMinutes' | 'enabled'>): string {
  if (testCase.everyMinutes === undefined) return 'On demand';
  const every = everyText(testCase.everyMinutes);
  return testCase.enabled ? every : `Paused (${every.toLowerCase()})`;
}

const CHECKS: Record<CheckFailure['check'], string> = {
  status: 'Status',
  'body-schema': 'Body schema',
  'json-path': 'JSONPath',
  latency: 'Latency',
};

export const checkLabel = (check: CheckFailure['check']): string => CHECKS[check] ?? check;

/** A run in a sentence: "Passed: 200 in 12.3 ms." / "Failed 2 checks: 500 in 45 ms." / "Failed: no answer." */
export function runSentence(
  run: Pick<TestRun, 'ok' | 'status' | 'latencyMs'> & { failures?: CheckFailure[] },
): string {
  const answer = run.status === undefined ? 'no answer' : `${run.status} in ${formatMs(run.latencyMs)}`;
  if (run.ok) return `Passed: ${answer}.`;
  const count = run.failures?.length ?? 0;
  const checks = count === 0 ? 'Failed' : count === 1 ? 'Failed 1 check' : `Failed ${count} checks`;
  return `${checks}: ${answer}.`;
}

/** An answer's body excerpt to read: indented when it is whole JSON, as it came otherwise. */
export function excerptShown(excerpt: string): string {
  try {
    return JSON.stringify(JSON.parse(excerpt), null, 2);
  } catch {
    return excerpt;
  }
}

export interface LatencySeries {
  /** Epoch seconds, oldest first. */
  times: number[];
  latencies: number[];
  description: string;
}

/**
 * The runs' latencies, oldest first, for a chart; undefined with fewer than two runs that got an answer.
 * Runs without an answer have no latency to draw.
 */
export function latencySeries(runs: readonly TestRun[]): LatencySeries | undefined {
  const answered = runs.filter((run) => run.status !== undefined).reverse();
  if (answered.length < 2) return undefined;
  const latencies = answered.map((run) => run.latencyMs);
  const failed = runs.filter((run) => !run.ok).length;
  const last = latencies[latencies.length - 1] ?? 0;
  const description =
    `Latency of the last ${answered.length} answered runs, oldest first: from ${formatMs(Math.min(...latencies))} ` +
    `to ${formatMs(Math.max(...latencies))}, the latest ${formatMs(last)}. ` +
    `${failed === 0 ? 'None' : failed} of the ${runs.length} runs shown failed.`;
  return { times: answered.map((run) => Date.parse(run.at) / 1000), latencies, description };
}

/** A case's cases summed up for the API's page: "3 cases, 1 failing". */
export function casesSummary(cases: readonly TestCase[]): string {
  if (cases.length === 0) return 'none yet';
  const failing = cases.filter((c) => c.lastRun && !c.lastRun.ok).length;
  const total = cases.length === 1 ? '1 case' : `${cases.length} cases`;
  return failing ? `${total}, ${failing} failing` : total;
}
