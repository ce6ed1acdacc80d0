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
