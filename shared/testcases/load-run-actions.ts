import type { AuditEntry } from '../console/audit.ts';
import { auditEntry } from '../console/audit.ts';
import { DomainError } from '../kernel/errors.ts';
import {
  LOAD_RUN_GRACE_MS,
  type LoadRun,
  loadRunAt,
  newLoadRun,
  validateLoadProfile,
  withoutProgress,
} from './load-run.ts';
import { LoadRunBusyError, type LoadRunLauncher, type LoadRunRef, type LoadRunStore } from './ports.ts';
import type { TestCase } from './test-case.ts';
import type { Actor } from './test-case-actions.ts';

export interface LoadRunDeps {
  store: LoadRunStore;
  cases: { get(apiName: string, caseId: string): Promise<TestCase | undefined> };
  launcher: LoadRunLauncher;
  audit(entry: AuditEntry): Promise<void>;
}

/** How many of a case's load runs a listing shows. */
export const LOAD_RUNS_LISTED = 20;

const withoutSeries = ({ series: _series, ...run }: LoadRun): LoadRun => run;

/**
 * Bounded load runs of a test case (seed 002: the platform load-tests providers' APIs so they improve):
 * an operator starts one, the load generator (load-run-execution.ts) runs it apart from the request.
 */
export class LoadRunActions {
  constructor(private readonly deps: LoadRunDeps) {}

  private async testCase(apiName: string, caseId: string): Promise<TestCase> {
    const found = await this.deps.cases.get(apiName, caseId);
    if (!found) throw new DomainError('not-found', 'No such test case.');
    return found;
  }

  async start(ctx: Actor, apiName: string, caseId: string, body: unknown): Promise<LoadRun> {
    const profile = validateLoadProfile(body);
    const testCase = await this.testCase(apiName, caseId);
    const run = newLoadRun(testCase, profile, ctx.actor.subject, ctx.now);
    // The slot outlives the run's own deadline, so a dead generator holds it until its run reads abandoned.
    const slotUntil = new Date(ctx.now.getTime() + profile.durationSeconds * 1000 + 2 * LOAD_RUN_GRACE_MS);
    try {
      await this.deps.store.create(run, slotUntil);
    } catch (error) {
      if (error instanceof LoadRunBusyError)
        throw new DomainError(
          'conflict',
          `Another load run of ${apiName} is queued or running (${error.loadRunId ?? 'unknown'}); one runs at a time per API.`,
        );
      throw error;
    }
    await this.deps.audit(
      auditEntry(
        ctx.actor,
        'test-case.load-run',
        { type: 'test-case', id: caseId },
        { after: run },
        ctx.now,
        ctx.requestId,
      ),
    );
    try {
      await this.deps.launcher.launch({ apiName, caseId, loadRunId: run.loadRunId });
    } catch (error) {
      await this.deps.store.finish({
        ...withoutProgress(run),
        status: 'failed',
        finishedAt: new Date().toISOString(),
        error: 'The load generator could not be started.',
      });
      throw new DomainError(
        'service-unavailable',
        'The load generator could not be started; try again.',
        {},
        {},
        error,
      );
    }
    return run;
  }

  async list(apiName: string, caseId: string, now: Date): Promise<LoadRun[]> {
    await this.testCase(apiName, caseId);
    const runs = await this.deps.store.list(apiName, caseId, LOAD_RUNS_LISTED);
    return runs.map((r) => withoutSeries(loadRunAt(r, now)));
  }

  async get(ref: LoadRunRef, now: Date): Promise<LoadRun> {
    const found = await this.deps.store.get(ref);
    if (!found) throw new DomainError('not-found', 'No such load run.');
    return loadRunAt(found, now);
  }
}
