import { apiFetch } from '../../api/client.ts';
import { segment } from './query-string.ts';
import { type CaseEnvironment, caseOf } from './test-cases.ts';

/** How hard a load run pushes: requests started each second, for how long, and how many at most in flight. */
export interface LoadProfile {
  ratePerSecond: number;
  durationSeconds: number;
  concurrency: number;
}

/** What a completed load run measured. */
export interface LoadSummary {
  /** `ratePerSecond` × `durationSeconds`. */
  planned: number;
  sent: number;
  /** Due but not sent: `concurrency` requests were already in flight. */
  dropped: number;
  /** No answer, or a status other than the case's expected one. */
  errors: number;
  /** `errors` / `sent`, 0 to 1. */
  errorRate: number;
  /** Answers by status (`"200"`), and `"none"` for requests that got no answer. */
  statuses: Record<string, number>;
  /** Of the answered requests. */
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  achievedRatePerSecond: number;
  durationMs: number;
}

/** One second of a run, `second` 0 starting at `startedAt`; no latency when nothing was answered in it. */
export interface LoadSecond {
  second: number;
  sent: number;
  errors: number;
  dropped: number;
  p50Ms: number | null;
  p99Ms: number | null;
}

export type LoadRunStatus = 'queued' | 'running' | 'completed' | 'failed' | 'abandoned';

/** A bounded load run of a test case (`LoadRun`). */
export interface LoadRun {
  loadRunId: string;
  apiName: string;
  caseId: string;
  caseName: string;
  environment: CaseEnvironment;
  profile: LoadProfile;
  status: LoadRunStatus;
  requestedBy: string;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** Why it failed or was abandoned. */
  error?: string;
  /** While it runs. */
  progress?: { sent: number; planned: number };
  /** Once completed. */
  summary?: LoadSummary;
  /** Once completed, and only when the run is read on its own. */
  series?: LoadSecond[];
}

const loadRunsOf = (apiName: string, caseId: string) => `${caseOf(apiName, caseId)}/load-runs`;

/**
 * Queues a load run of the case (202): 409 while another load run of the API is queued or running,
 * 400 with the profile's faulty members.
 */
export const startLoadRun = (apiName: string, caseId: string, profile: LoadProfile): Promise<LoadRun> =>
  apiFetch<LoadRun>(loadRunsOf(apiName, caseId), { method: 'POST', json: profile });

/** The case's last 20 load runs, newest first, without their series. */
export const fetchLoadRuns = (apiName: string, caseId: string): Promise<LoadRun[]> =>
  apiFetch<{ items: LoadRun[] }>(loadRunsOf(apiName, caseId)).then((answer) => answer.items);

export const fetchLoadRun = (apiName: string, caseId: string, loadRunId: string): Promise<LoadRun> =>
  apiFetch<LoadRun>(`${loadRunsOf(apiName, caseId)}/${segment(loadRunId)}`);
