import { describe, expect, it } from 'vitest';
import type { TestCase, TestRun } from '../api/test-cases.ts';
import {
  casesSummary,
  checkLabel,
  everyText,
  excerptShown,
  latencySeries,
  runSentence,
  scheduleText,
} from './test-case-view.ts';

const run = (overrides: Partial<TestRun>): TestRun => ({
  runId: 'run_1',
  caseId: 'tc_1',
  apiName: 'echo',
  at: '2030-01-01T10:00:00.000Z',
  trigger: 'manual',
  ok: true,
  status: 200,
  latencyMs: 12,
  failures: [],
  ...overrides,
});

describe('a case’s schedule', () => {
  it('is said in the unit that suits it', () => {
    expect(everyText(1)).toBe('Every minute');
    expect(everyText(15)).toBe('Every 15 minutes');
    expect(everyText(60)).toBe('Every hour');
    expect(everyText(180)).toBe('Every 3 hours');
    expect(everyText(90)).toBe('Every 90 minutes');
    expect(everyText(1440)).toBe('Every day');
  });

  it('is paused while the case is disabled, and on demand without one', () => {
    expect(scheduleText({ everyMinutes: 5, enabled: true })).toBe('Every 5 minutes');
    expect(scheduleText({ everyMinutes: 5, enabled: false })).toBe('Paused (every 5 minutes)');
    expect(scheduleText({ enabled: true })).toBe('On demand');
  });
});

describe('a run', () => {
  it('is summed up in a sentence', () => {
    expect(runSentence(run({}))).toBe('Passed: 200 in 12.0 ms.');
    expect(
      runSentence(
        run({
          ok: false,
          status: 500,
          latencyMs: 450,
          failures: [
            { check: 'status', pointer: '/status', message: 'expected 200, got 500' },
            { check: 'latency', pointer: '/maxLatencyMs', message: 'took 450 ms' },
          ],
        }),
      ),
    ).toBe('Failed 2 checks: 500 in 450 ms.');
    const { status: _status, ...unanswered } = run({ ok: false, latencyMs: 0 });
    expect(
      runSentence({ ...unanswered, failures: [{ check: 'status', pointer: '/status', message: 'x' }] }),
    ).toBe('Failed 1 check: no answer.');
    expect(checkLabel('json-path')).toBe('JSONPath');
  });

  it('shows its body indented when it is JSON, as it came otherwise', () => {
    expect(excerptShown('{"a":1}')).toBe('{\n  "a": 1\n}');
    expect(excerptShown('{"a":1, "b": "trunc')).toBe('{"a":1, "b": "trunc');
    expect(excerptShown('<html>')).toBe('<html>');
  });
});

describe('a latency series', () => {
  it('runs oldest first, over the runs that got an answer', () => {
    const { status: _status, ...unanswered } = run({ runId: 'run_x', ok: false, latencyMs: 0 });
    const series = latencySeries([
      run({ at: '2030-01-01T10:02:00.000Z', latencyMs: 30, ok: false }),
      unanswered,
      run({ at: '2030-01-01T10:00:00.000Z', latencyMs: 10 }),
    ]);
    expect(series?.times).toEqual([
      Date.parse('2030-01-01T10:00:00.000Z') / 1000,
      Date.parse('2030-01-01T10:02:00.000Z') / 1000,
    ]);
    expect(series?.latencies).toEqual([10, 30]);
    expect(series?.description).toBe(
      'Latency of the last 2 answered runs, oldest first: from 10.0 ms to 30.0 ms, the latest 30.0 ms. 2 of the 3 runs shown failed.',
    );
  });

  it('needs two answered runs', () => {
    expect(latencySeries([run({})])).toBeUndefined();
  });
});

describe('the cases of an API', () => {
  const testCase = (lastRun?: TestCase['lastRun']) => ({ lastRun }) as TestCase;
  it('are counted with those failing', () => {
    expect(casesSummary([])).toBe('none yet');
    expect(casesSummary([testCase()])).toBe('1 case');
    expect(casesSummary([testCase({ runId: 'r', at: '', ok: false, latencyMs: 1 }), testCase()])).toBe(
      '2 cases, 1 failing',
    );
  });
});
