import { generateLoad } from './load-generator.ts';
import { isUnfinished, type LoadRun, loadRunAt, plannedRequests, withoutProgress } from './load-run.ts';
import { loadSeries, summarizeLoad } from './load-summary.ts';
import type { LoadRunRef, LoadRunStore } from './ports.ts';
import { type CaseTransport, caseRequestInit, caseUrl, type RunDeps } from './run-case.ts';
import type { TestCase } from './test-case.ts';

export interface LoadExecutionDeps {
  store: LoadRunStore;
  cases: { get(apiName: string, caseId: string): Promise<TestCase | undefined> };
  /** The gateway and the tester app's token, as for a single run. */
  runner: Pick<RunDeps, 'gatewayBaseUrl' | 'token'>;
  /** Sends one request of the load, with a timeout shorter than a single run's. */
  transport: CaseTransport;
  /** A finished run (completed or failed): an event for whoever follows the API's providers. */
  finished(run: LoadRun): Promise<void>;
  clock(): number;
  sleep(ms: number): Promise<void>;
}

/**
 * The load generator's side: runs a queued run once (a repeated invocation finds it started and does
 * nothing) and keeps what it measured, or why it failed.
 */
export async function executeLoadRun(deps: LoadExecutionDeps, ref: LoadRunRef): Promise<LoadRun | undefined> {
  const run = await deps.store.get(ref);
  if (run?.status !== 'queued' || !isUnfinished(loadRunAt(run, new Date()))) return undefined;
  const startedAt = new Date().toISOString();
  if (!(await deps.store.start(ref, startedAt))) return undefined;
  const running: LoadRun = { ...run, status: 'running', startedAt };
  let finished: LoadRun;
  try {
    finished = await measure(deps, running);
  } catch (error) {
    finished = {
      ...withoutProgress(running),
      status: 'failed',
      finishedAt: new Date().toISOString(),
      error: (error as Error).message,
    };
  }
  await deps.store.finish(finished);
  await deps.finished(finished);
  return finished;
}

async function measure(deps: LoadExecutionDeps, run: LoadRun): Promise<LoadRun> {
  const testCase = await deps.cases.get(run.apiName, run.caseId);
  if (!testCase) throw new Error('The test case was deleted before its load run started.');
  const url = caseUrl(deps.runner.gatewayBaseUrl, testCase);
  const init = caseRequestInit(testCase, await deps.runner.token(testCase));
  const { samples, durationMs } = await generateLoad(
    {
      send: async () => {
        const answer = await deps.transport(url, init);
        return { status: answer.status, latencyMs: answer.latencyMs };
      },
      clock: deps.clock,
      sleep: deps.sleep,
      progress: (sent) => {
        deps.store.progress(run, sent).catch(() => undefined);
      },
    },
    run.profile,
  );
  const expected = testCase.expect.status;
  const summary = summarizeLoad(samples, expected, run.profile.durationSeconds, durationMs);
  if (summary.planned !== plannedRequests(run.profile)) throw new Error('The load generator lost requests.');
  return {
    ...withoutProgress(run),
    status: 'completed',
    finishedAt: new Date().toISOString(),
    summary,
    series: loadSeries(samples, run.profile.durationSeconds, expected),
  };
}
