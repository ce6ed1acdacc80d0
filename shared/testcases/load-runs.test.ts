import { setImmediate as flush } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../console/audit.ts';
import { LOAD_RUN_GRACE_MS, type LoadRun, loadRunAt } from './load-run.ts';
import { LoadRunActions } from './load-run-actions.ts';
import { executeLoadRun, type LoadExecutionDeps } from './load-run-execution.ts';
import type { LoadRunRef } from './ports.ts';
import { newTestCase, type TestCase, validateTestCase } from './test-case.ts';
import { MemoryLoadRunStore } from './testing/memory-load-run-store.ts';

const now = new Date('2026-12-05T10:00:00Z');
const testCase = newTestCase(
  'echo',
  validateTestCase({
    name: 'Hello',
    request: { method: 'GET', path: '/hello' },
    expect: { status: 200 },
    environment: 'sandbox',
  }),
  now,
);
const ctx = {
  actor: { subject: 'ops', clientId: 'portico-web', role: 'operator' },
  requestId: 'req-1',
  now,
};
const profile = { ratePerSecond: 5, durationSeconds: 2, concurrency: 2 };

function setup(cases: TestCase[] = [testCase]) {
  const store = new MemoryLoadRunStore();
  const audits: AuditEntry[] = [];
  const launched: LoadRunRef[] = [];
  const launch = { fail: false };
  const caseStore = {
    get: async (apiName: string, caseId: string) =>
      cases.find((c) => c.apiName === apiName && c.caseId === caseId),
  };
  const actions = new LoadRunActions({
    store,
    cases: caseStore,
    launcher: {
      launch: async (ref) => {
        if (launch.fail) throw new Error('lambda is down');
        launched.push(ref);
      },
    },
    audit: async (entry) => {
      audits.push(entry);
    },
  });
  const finished: LoadRun[] = [];
  const requests: { url: string; authorization: string | undefined }[] = [];
  let t = 0;
  const execution: LoadExecutionDeps = {
    store,
    cases: caseStore,
    runner: { gatewayBaseUrl: 'https://api.test', token: async () => 'tester-token' },
    transport: async (url, init) => {
      requests.push({ url, authorization: init.headers.authorization });
      return { status: requests.length === 3 ? 503 : 200, contentType: '', body: '', latencyMs: 12 };
    },
    finished: async (run) => {
      finished.push(run);
    },
    clock: () => t,
    sleep: async (ms) => {
      t += ms;
      await flush();
    },
  };
  return { store, audits, launched, launch, actions, execution, finished, requests };
}

describe('load runs', () => {
  it('queues a run, audits it and hands it to the generator, which measures it once', async () => {
    const { actions, audits, launched, execution, finished, requests, store } = setup();
    const run = await actions.start(ctx, 'echo', testCase.caseId, profile);
    expect(run).toMatchObject({ status: 'queued', progress: { sent: 0, planned: 10 }, requestedBy: 'ops' });
    expect(audits.map((a) => a.action)).toEqual(['test-case.load-run']);
    expect(launched).toEqual([{ apiName: 'echo', caseId: testCase.caseId, loadRunId: run.loadRunId }]);

    const done = await executeLoadRun(execution, launched[0]!);
    expect(done).toMatchObject({ status: 'completed', summary: { sent: 10, errors: 1, errorRate: 0.1 } });
    expect(done?.series).toHaveLength(2);
    expect(done).not.toHaveProperty('progress');
    expect(requests[0]).toEqual({
      url: 'https://api.test/apis/echo/hello',
      authorization: 'Bearer tester-token',
    });
    expect(finished).toHaveLength(1);
    // A repeated invocation finds the run finished and sends nothing.
    expect(await executeLoadRun(execution, launched[0]!)).toBeUndefined();
    expect(requests).toHaveLength(10);
    // The API's slot is free again; listings leave the series out.
    expect(store.slots.size).toBe(0);
    const [listed] = await actions.list('echo', testCase.caseId, new Date());
    expect(listed).toMatchObject({ loadRunId: run.loadRunId, status: 'completed' });
    expect(listed).not.toHaveProperty('series');
  });

  it('runs one load at a time per API', async () => {
    const { actions, audits, store } = setup();
    const first = await actions.start(ctx, 'echo', testCase.caseId, profile);
    await expect(actions.start(ctx, 'echo', testCase.caseId, profile)).rejects.toMatchObject({
      code: 'conflict',
      detail: expect.stringContaining(first.loadRunId),
    });
    expect(store.runs.size).toBe(1);
    expect(audits).toHaveLength(1);
  });

  it('refuses a profile over the caps, naming each field, and keeps nothing', async () => {
    const { actions, store, launched } = setup();
    const error = await actions
      .start(ctx, 'echo', testCase.caseId, { ratePerSecond: 51, durationSeconds: 61, concurrency: 0 })
      .catch((e) => e);
    expect(error).toMatchObject({ code: 'validation-failed' });
    expect(error.details.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual([
      '/concurrency',
      '/durationSeconds',
      '/ratePerSecond',
    ]);
    for (const bad of [{}, { ...profile, ratePerSecond: 2.5 }, { ...profile, extra: 1 }, null])
      await expect(actions.start(ctx, 'echo', testCase.caseId, bad)).rejects.toMatchObject({
        code: 'validation-failed',
      });
    expect(store.runs.size).toBe(0);
    expect(launched).toEqual([]);
  });

  it('answers 404 for a case that is not there', async () => {
    const { actions } = setup();
    await expect(actions.start(ctx, 'echo', 'case_nope', profile)).rejects.toMatchObject({
      code: 'not-found',
    });
    await expect(actions.list('echo', 'case_nope', now)).rejects.toMatchObject({ code: 'not-found' });
    await expect(
      actions.get({ apiName: 'echo', caseId: testCase.caseId, loadRunId: 'load_x' }, now),
    ).rejects.toMatchObject({ code: 'not-found' });
  });

  it('marks the run failed and frees the slot when the generator cannot be started', async () => {
    const { actions, launch, store } = setup();
    launch.fail = true;
    await expect(actions.start(ctx, 'echo', testCase.caseId, profile)).rejects.toMatchObject({
      code: 'service-unavailable',
    });
    const [run] = [...store.runs.values()];
    expect(run).toMatchObject({ status: 'failed', error: expect.stringContaining('could not be started') });
    expect(store.slots.size).toBe(0);
  });

  it('fails a run whose case was deleted before it started', async () => {
    const { actions, launched, execution } = setup();
    await actions.start(ctx, 'echo', testCase.caseId, profile);
    const done = await executeLoadRun({ ...execution, cases: { get: async () => undefined } }, launched[0]!);
    expect(done).toMatchObject({ status: 'failed', error: expect.stringContaining('deleted') });
  });

  it('reads an unfinished run past its deadline as abandoned', () => {
    const queued = {
      loadRunId: 'load_1',
      apiName: 'echo',
      caseId: 'c',
      caseName: 'Hello',
      environment: 'sandbox',
      profile,
      status: 'queued',
      requestedBy: 'ops',
      createdAt: now.toISOString(),
      progress: { sent: 0, planned: 10 },
    } satisfies LoadRun;
    expect(loadRunAt(queued, new Date(now.getTime() + LOAD_RUN_GRACE_MS))).toBe(queued);
    expect(loadRunAt(queued, new Date(now.getTime() + LOAD_RUN_GRACE_MS + 1))).toMatchObject({
      status: 'abandoned',
      error: expect.stringContaining('never started'),
    });
    const running = { ...queued, status: 'running' as const, startedAt: now.toISOString() };
    const late = new Date(now.getTime() + 2_000 + LOAD_RUN_GRACE_MS + 1);
    expect(loadRunAt(running, late)).toMatchObject({ status: 'abandoned' });
    expect(loadRunAt(running, late)).not.toHaveProperty('progress');
  });
});
