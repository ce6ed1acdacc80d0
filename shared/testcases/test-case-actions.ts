import type { AuditEntry } from '../console/audit.ts';
import { auditEntry } from '../console/audit.ts';
import type { ApiDefinition } from '../gateway/api-definition.ts';
import { unknownApi } from '../gateway/unknown-api.ts';
import { DomainError } from '../kernel/errors.ts';
import { TestCaseConflictError, type TestCaseStore } from './ports.ts';
import { type RunDeps, runCase, type TestRun } from './run-case.ts';
import { afterRun, newTestCase, replacedTestCase, type TestCase, validateTestCase } from './test-case.ts';

export interface TestCaseDeps {
  store: TestCaseStore;
  registry: { get(name: string): Promise<ApiDefinition | undefined> };
  runner: RunDeps;
  audit(entry: AuditEntry): Promise<void>;
  /** A run that failed: an event for whoever listens, a metric for the alarm. */
  failed(run: TestRun, testCase: TestCase): Promise<void>;
}

export interface Actor {
  actor: AuditEntry['actor'];
  requestId: string;
  now: Date;
}

/** How many due cases one scheduled round runs, and how many at once. */
export const DUE_PER_ROUND = 50;
const ROUND_CONCURRENCY = 5;

/** Test cases of an API: written and run from the console, run on their schedule by the scheduler. */
export class TestCaseActions {
  constructor(private readonly deps: TestCaseDeps) {}

  private async api(apiName: string): Promise<ApiDefinition> {
    const api = await this.deps.registry.get(apiName);
    if (!api) throw unknownApi(apiName);
    return api;
  }

  private async testCase(apiName: string, caseId: string): Promise<TestCase> {
    const found = await this.deps.store.get(apiName, caseId);
    if (!found) throw new DomainError('not-found', 'No such test case.');
    return found;
  }

  private conflict(error: unknown): never {
    if (error instanceof TestCaseConflictError)
      throw new DomainError('conflict', 'The test case changed meanwhile; reload it and try again.');
    throw error;
  }

  list = async (apiName: string) => {
    await this.api(apiName);
    return this.deps.store.list(apiName);
  };

  get = (apiName: string, caseId: string) => this.testCase(apiName, caseId);

  history = async (apiName: string, caseId: string, limit: number) => {
    await this.testCase(apiName, caseId);
    return this.deps.store.runs(apiName, caseId, limit);
  };

  async create(ctx: Actor, apiName: string, body: unknown): Promise<TestCase> {
    await this.api(apiName);
    const created = newTestCase(apiName, validateTestCase(body), ctx.now);
    await this.deps.store.put(created).catch((e) => this.conflict(e));
    await this.deps.audit(
      auditEntry(
        ctx.actor,
        'test-case.create',
        { type: 'test-case', id: created.caseId },
        { after: created },
        ctx.now,
        ctx.requestId,
      ),
    );
    return created;
  }

  async replace(
    ctx: Actor,
    apiName: string,
    caseId: string,
    body: unknown,
    ifRevision?: number,
  ): Promise<TestCase> {
    const input = validateTestCase(body);
    const before = await this.testCase(apiName, caseId);
    if (ifRevision !== undefined && ifRevision !== before.revision)
      throw new DomainError('conflict', 'The test case changed meanwhile; reload it and try again.');
    const after = replacedTestCase(before, input, ctx.now);
    await this.deps.store.put(after, before.revision).catch((e) => this.conflict(e));
    await this.deps.audit(
      auditEntry(
        ctx.actor,
        'test-case.update',
        { type: 'test-case', id: caseId },
        { before, after },
        ctx.now,
        ctx.requestId,
      ),
    );
    return after;
  }

  async delete(ctx: Actor, apiName: string, caseId: string): Promise<void> {
    const before = await this.testCase(apiName, caseId);
    await this.deps.store.delete(apiName, caseId).catch((e) => this.conflict(e));
    await this.deps.audit(
      auditEntry(
        ctx.actor,
        'test-case.delete',
        { type: 'test-case', id: caseId },
        { before },
        ctx.now,
        ctx.requestId,
      ),
    );
  }

  /** Runs the case now, keeps the result in its history, and reports a failure as a scheduled run does. */
  async run(testCase: TestCase, trigger: TestRun['trigger'], now: Date): Promise<TestRun> {
    const run = await runCase(this.deps.runner, testCase, trigger, now);
    const summary = {
      runId: run.runId,
      at: run.at,
      ok: run.ok,
      ...(run.status !== undefined ? { status: run.status } : {}),
      latencyMs: run.latencyMs,
    };
    try {
      await this.deps.store.recordRun(run, {
        testCase: afterRun(testCase, summary),
        revision: testCase.revision,
      });
    } catch (error) {
      // Edited while it ran: the run is still history, the edited case keeps its own schedule.
      if (!(error instanceof TestCaseConflictError)) throw error;
      await this.deps.store.recordRun(run);
    }
    if (!run.ok) await this.deps.failed(run, testCase);
    return run;
  }

  runNow = async (apiName: string, caseId: string, now: Date) =>
    this.run(await this.testCase(apiName, caseId), 'manual', now);

  /** One scheduled round: the due cases, a few at a time; one case's failure never stops the others. */
  async runDue(now: Date): Promise<{ ran: number; failed: number }> {
    const due = await this.deps.store.due(now, DUE_PER_ROUND);
    let failed = 0;
    for (let i = 0; i < due.length; i += ROUND_CONCURRENCY) {
      const results = await Promise.allSettled(
        due.slice(i, i + ROUND_CONCURRENCY).map((c) => this.run(c, 'schedule', now)),
      );
      failed += results.filter((r) => r.status === 'rejected' || !r.value.ok).length;
    }
    return { ran: due.length, failed };
  }
}
