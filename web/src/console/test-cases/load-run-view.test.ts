import { describe, expect, it } from 'vitest';
import type { LoadRun, LoadSummary } from '../api/load-runs.ts';
import {
  answeredOf,
  errorRateText,
  isUnfinished,
  loadRunSentence,
  profileText,
  rateText,
  statusCounts,
  statusLabel,
  statusTone,
} from './load-run-view.ts';

const summary = (overrides: Partial<LoadSummary> = {}): LoadSummary => ({
  planned: 10,
  sent: 10,
  dropped: 0,
  errors: 0,
  errorRate: 0,
  statuses: { '200': 10, none: 0 },
  latencyMs: { p50: 12, p90: 20, p99: 30, max: 31, mean: 14 },
  achievedRatePerSecond: 5,
  durationMs: 2_100,
  ...overrides,
});

const run = (overrides: Partial<LoadRun>): LoadRun => ({
  loadRunId: 'load_1',
  apiName: 'echo',
  caseId: 'tc_1',
  caseName: 'Hello answers',
  environment: 'sandbox',
  profile: { ratePerSecond: 5, durationSeconds: 2, concurrency: 2 },
  status: 'completed',
  requestedBy: 'operator',
  createdAt: '2030-01-01T10:00:00.000Z',
  ...overrides,
});

describe('a load run’s status', () => {
  it('has a label and a tone', () => {
    expect(statusLabel('queued')).toBe('Queued');
    expect(statusLabel('abandoned')).toBe('Abandoned');
    expect(statusTone('completed')).toBe('success');
    expect(statusTone('failed')).toBe('danger');
    expect(statusTone('abandoned')).toBe('warning');
    expect(statusTone('running')).toBe('info');
  });

  it('is unfinished while queued or running', () => {
    expect(isUnfinished({ status: 'queued' })).toBe(true);
    expect(isUnfinished({ status: 'running' })).toBe(true);
    expect(isUnfinished({ status: 'completed' })).toBe(false);
    expect(isUnfinished({ status: 'abandoned' })).toBe(false);
  });

  it('is said in a sentence', () => {
    expect(loadRunSentence(run({ status: 'queued' }))).toBe(
      'Queued: waiting for the load generator to start it.',
    );
    expect(loadRunSentence(run({ summary: summary() }))).toBe(
      'Completed: 10 of 10 planned requests sent; no errors (0 % error rate).',
    );
    expect(
      loadRunSentence(
        run({ summary: summary({ planned: 100, sent: 95, dropped: 5, errors: 1, errorRate: 1 / 95 }) }),
      ),
    ).toBe('Completed: 95 of 100 planned requests sent, 5 dropped; 1 error (1.05 % error rate).');
    expect(loadRunSentence(run({ summary: summary({ planned: 1, sent: 0, dropped: 1 }) }))).toBe(
      'Completed: 0 of 1 planned request sent, 1 dropped.',
    );
    expect(
      loadRunSentence(
        run({ status: 'abandoned', error: 'The load generator stopped before the run finished.' }),
      ),
    ).toBe('Abandoned. The load generator stopped before the run finished.');
    expect(loadRunSentence(run({ status: 'failed' }))).toBe('Failed.');
  });
});

describe('a load run’s figures', () => {
  it('write the profile in short', () => {
    expect(profileText({ ratePerSecond: 10, durationSeconds: 10, concurrency: 5 })).toBe(
      '10/s × 10 s, ≤ 5 in flight',
    );
  });

  it('give the error rate as a percentage of the requests sent', () => {
    expect(errorRateText(summary())).toBe('0 %');
    expect(errorRateText(summary({ errorRate: 0.05 }))).toBe('5 %');
    expect(errorRateText(summary({ errorRate: 1 / 3 }))).toBe('33.3 %');
    expect(errorRateText(summary({ sent: 0 }))).toBe('–');
  });

  it('count the answered requests and the achieved rate', () => {
    expect(answeredOf(summary({ sent: 10, statuses: { '200': 7, none: 3 } }))).toBe(7);
    expect(answeredOf(summary({ sent: 10, statuses: { '200': 10 } }))).toBe(10);
    expect(rateText(4.96)).toBe('5/s');
    expect(rateText(12.44)).toBe('12.4/s');
  });

  it('list the statuses seen, unanswered last', () => {
    expect(statusCounts({ none: 2, '503': 1, '200': 95, '429': 0 })).toEqual([
      { status: '200', count: 95 },
      { status: '503', count: 1 },
      { status: undefined, count: 2 },
    ]);
    expect(statusCounts({})).toEqual([]);
  });
});
