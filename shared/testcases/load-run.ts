import { randomToken } from '../crypto/random.ts';
import { bodyValidator } from '../kernel/validation.ts';
import type { LoadSecond, LoadSummary } from './load-summary.ts';
import type { TestCase } from './test-case.ts';

/** How hard a load run pushes: requests started per second, for how long, and how many at most in flight. */
export interface LoadProfile {
  ratePerSecond: number;
  durationSeconds: number;
  concurrency: number;
}

/**
 * The hard caps of one load run. The platform loads its providers to show them where they break (seed
 * 002), not to take them down: at most 3,000 requests, 20 in flight, and one run per API at a time.
 */
export const LOAD_LIMITS = { maxRatePerSecond: 50, maxDurationSeconds: 60, maxConcurrency: 20 } as const;

export type LoadRunStatus = 'queued' | 'running' | 'completed' | 'failed' | 'abandoned';

/** A bounded load run of a test case: its profile, where it is, and once completed what it measured. */
export interface LoadRun {
  loadRunId: string;
  apiName: string;
  caseId: string;
  caseName: string;
  environment: TestCase['environment'];
  profile: LoadProfile;
  status: LoadRunStatus;
  requestedBy: string;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** Why it failed or was abandoned. */
  error?: string;
  /** While running: how many of the planned requests have been sent. */
  progress?: { sent: number; planned: number };
  summary?: LoadSummary;
  /** One entry per second from `startedAt`; read with one run, not in lists. */
  series?: LoadSecond[];
}

export const validateLoadProfile = bodyValidator<LoadProfile>({
  type: 'object',
  properties: {
    ratePerSecond: { type: 'integer', minimum: 1, maximum: LOAD_LIMITS.maxRatePerSecond },
    durationSeconds: { type: 'integer', minimum: 1, maximum: LOAD_LIMITS.maxDurationSeconds },
    concurrency: { type: 'integer', minimum: 1, maximum: LOAD_LIMITS.maxConcurrency },
  },
  required: ['ratePerSecond', 'durationSeconds', 'concurrency'],
  additionalProperties: false,
});

export const plannedRequests = (profile: LoadProfile): number =>
  profile.ratePerSecond * profile.durationSeconds;

/**
 * Ids sort by creation time (a fixed-width base-36 millisecond count first), so a case's runs list newest
 * first straight from the table.
 */
export const newLoadRunId = (now: Date): string =>
  `load_${now.getTime().toString(36).padStart(9, '0')}${randomToken(9)}`;

export function newLoadRun(
  testCase: TestCase,
  profile: LoadProfile,
  requestedBy: string,
  now: Date,
): LoadRun {
  return {
    loadRunId: newLoadRunId(now),
    apiName: testCase.apiName,
    caseId: testCase.caseId,
    caseName: testCase.name,
    environment: testCase.environment,
    profile,
    status: 'queued',
    requestedBy,
    createdAt: now.toISOString(),
    progress: { sent: 0, planned: plannedRequests(profile) },
  };
}

/** A queued run must have started by then; a running one must have finished by its duration plus this. */
export const LOAD_RUN_GRACE_MS = 120_000;

/** The time after which an unfinished run can no longer be going: its worker never started or died. */
export const loadRunDeadline = (run: LoadRun): number =>
  Date.parse(run.startedAt ?? run.createdAt) +
  (run.startedAt ? run.profile.durationSeconds * 1000 : 0) +
  LOAD_RUN_GRACE_MS;

export const isUnfinished = (run: LoadRun): boolean => run.status === 'queued' || run.status === 'running';

export const withoutProgress = ({ progress: _progress, ...run }: LoadRun): LoadRun => run;

/** The run as it is at `now`: an unfinished run past its deadline reads as abandoned. */
export function loadRunAt(run: LoadRun, now: Date): LoadRun {
  if (!isUnfinished(run) || now.getTime() <= loadRunDeadline(run)) return run;
  return {
    ...withoutProgress(run),
    status: 'abandoned',
    error:
      run.status === 'queued'
        ? 'The load generator never started this run.'
        : 'The load generator stopped before the run finished.',
  };
}
