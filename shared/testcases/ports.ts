import type { LoadRun } from './load-run.ts';
import type { TestRun } from './run-case.ts';
import type { TestCase } from './test-case.ts';

/** Test cases and their run history (shared/testcases/adapters/dynamo-test-case-store.ts). */
export interface TestCaseStore {
  /** Writes the case; with `expectedRevision`, only over that revision (ConflictError otherwise). */
  put(testCase: TestCase, expectedRevision?: number): Promise<void>;
  get(apiName: string, caseId: string): Promise<TestCase | undefined>;
  list(apiName: string): Promise<TestCase[]>;
  delete(apiName: string, caseId: string): Promise<void>;
  /** Enabled scheduled cases whose next run is at or before `now`, at most `limit`. */
  due(now: Date, limit: number): Promise<TestCase[]>;
  /**
   * Keeps the run and, given `after`, moves the case on (its last run, its next time) unless it changed
   * meanwhile (TestCaseConflictError: keep the run alone then).
   */
  recordRun(run: TestRun, after?: { testCase: TestCase; revision: number }): Promise<void>;
  runs(apiName: string, caseId: string, limit: number): Promise<TestRun[]>;
}

export class TestCaseConflictError extends Error {
  override name = 'TestCaseConflictError';
}

/** Which load run, as the launcher hands it to the load generator. */
export interface LoadRunRef {
  apiName: string;
  caseId: string;
  loadRunId: string;
}

/** Load runs of test cases (shared/testcases/adapters/dynamo-load-run-store.ts). */
export interface LoadRunStore {
  /**
   * Keeps a new queued run and takes its API's load slot: LoadRunBusyError, and nothing written, while
   * another run of the API holds it.
   */
  create(run: LoadRun, slotUntil: Date): Promise<void>;
  get(ref: LoadRunRef): Promise<LoadRun | undefined>;
  /** The case's runs, newest first, without their series. */
  list(apiName: string, caseId: string, limit: number): Promise<LoadRun[]>;
  /** Queued → running; false when it was not queued (a second invocation of the same run). */
  start(ref: LoadRunRef, startedAt: string): Promise<boolean>;
  progress(ref: LoadRunRef, sent: number): Promise<void>;
  /** Writes the finished run (completed or failed) and gives its API's load slot back. */
  finish(run: LoadRun): Promise<void>;
}

export class LoadRunBusyError extends Error {
  override name = 'LoadRunBusyError';
  constructor(readonly loadRunId: string | undefined) {
    super('another load run of this API holds its slot');
  }
}

/** Starts the load generator for a run, without waiting for it (an asynchronous Lambda invocation). */
export interface LoadRunLauncher {
  launch(ref: LoadRunRef): Promise<void>;
}
