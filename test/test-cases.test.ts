import { beforeAll, describe, expect, it } from 'vitest';
import { consoleToken } from './support/console.ts';
import { as } from './support/http.ts';
import { fireSchedule, scheduleId } from './support/local-plan.ts';
import { adminToken } from './support/oauth.ts';
import { eventually } from './support/wait.ts';

/** Scheduled test cases of an API (seed 002), written and run from the console. */
const hello = (expect: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  name: 'Hello answers',
  request: { method: 'GET', path: '/hello' },
  expect,
  environment: 'sandbox',
  ...extra,
});

describe('test cases', () => {
  let adminBearer: string;
  let admin: ReturnType<typeof as>;
  beforeAll(async () => {
    adminBearer = await adminToken();
    admin = as(adminBearer);
  });

  it('runs a case through the gateway now and keeps every run, failures with where and why', async () => {
    const passing = await admin.send(
      'POST',
      '/console/v1/apis/echo/test-cases',
      hello({
        status: 200,
        bodySchema: { type: 'object', required: ['message'] },
        jsonPath: [{ path: '$.message', equals: 'Hello from the echo sandbox' }],
        maxLatencyMs: 5000,
      }),
    );
    expect(passing.status, passing.text).toBe(201);
    const ran = await admin.send('POST', `/console/v1/apis/echo/test-cases/${passing.body.caseId}/run`);
    expect(ran.status, ran.text).toBe(200);
    expect(ran.body).toMatchObject({ ok: true, status: 200, trigger: 'manual', failures: [] });

    const failing = await admin.send(
      'POST',
      '/console/v1/apis/echo/test-cases',
      hello({ status: 201, jsonPath: [{ path: '$.message', equals: 'something else' }] }),
    );
    const failed = (await admin.send('POST', `/console/v1/apis/echo/test-cases/${failing.body.caseId}/run`))
      .body;
    expect(failed.ok).toBe(false);
    expect(failed.failures.map((f: { check: string; pointer: string }) => `${f.check} ${f.pointer}`)).toEqual(
      ['status /status', 'json-path /jsonPath/0'],
    );
    const history = await admin.get(`/console/v1/apis/echo/test-cases/${failing.body.caseId}/runs`);
    expect(history.body.items[0]).toMatchObject({ runId: failed.runId, ok: false });
    const listed = await admin.get('/console/v1/apis/echo/test-cases');
    const summary = listed.body.items.find((c: { caseId: string }) => c.caseId === failing.body.caseId);
    expect(summary.lastRun).toMatchObject({ ok: false, status: 200 });
  });

  it('runs a scheduled case when the scheduler’s round comes', async () => {
    const created = await admin.send(
      'POST',
      '/console/v1/apis/echo/test-cases',
      hello({ status: 200 }, { name: 'Every minute', everyMinutes: 1 }),
    );
    expect(created.body.nextRunAt).toBeDefined();
    const schedule = scheduleId('TestCaseSchedule');
    await fireSchedule(schedule);
    const run = await eventually(async () => {
      const runs = await admin.get(`/console/v1/apis/echo/test-cases/${created.body.caseId}/runs`);
      return runs.body.items.find((r: { trigger: string }) => r.trigger === 'schedule');
    }, 30_000);
    expect(run).toMatchObject({ ok: true, status: 200 });
    const after = await admin.get(`/console/v1/apis/echo/test-cases/${created.body.caseId}`);
    expect(Date.parse(after.body.nextRunAt)).toBeGreaterThan(Date.parse(run.at) + 59_000);
  });

  it('refuses a case that would leave its API, set the runner’s headers, or expect nonsense, and stores nothing', async () => {
    const before = (await admin.get('/console/v1/apis/echo/test-cases')).body.items.length;
    for (const [body, pointer] of [
      [
        hello({ status: 200 }, { request: { method: 'GET', path: '/../../console/v1/apps' } }),
        '/request/path',
      ],
      [hello({ status: 200 }, { request: { method: 'GET', path: '/%2e%2e/x' } }), '/request/path'],
      [
        hello(
          { status: 200 },
          { request: { method: 'GET', path: '/x', headers: { Authorization: 'Bearer x' } } },
        ),
        '/request/headers/Authorization',
      ],
      [hello({ status: 200, jsonPath: [{ path: '$[' }] }), '/expect/jsonPath/0/path'],
      [hello({ status: 200, bodySchema: { type: 'nope' } }), '/expect/bodySchema'],
      [hello({ status: 999 }), '/expect/status'],
    ] as const) {
      const refused = await admin.send('POST', '/console/v1/apis/echo/test-cases', body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(refused.body.errors)).toContain(pointer);
    }
    expect(
      (await admin.send('POST', '/console/v1/apis/no-such-api/test-cases', hello({ status: 200 }))).status,
    ).toBe(404);
    expect((await admin.get('/console/v1/apis/echo/test-cases')).body.items.length).toBe(before);
  });

  it('load-runs a case within its caps, one run per API at a time, and keeps its percentiles and errors', async () => {
    const created = await admin.send('POST', '/console/v1/apis/echo/test-cases', hello({ status: 200 }));
    const loadRuns = `/console/v1/apis/echo/test-cases/${created.body.caseId}/load-runs`;

    const viewer = as(await consoleToken(adminBearer, 'viewer'));
    const forbidden = await viewer.send('POST', loadRuns, {
      ratePerSecond: 1,
      durationSeconds: 1,
      concurrency: 1,
    });
    expect(forbidden.status).toBe(403);
    for (const [body, pointer] of [
      [{ ratePerSecond: 51, durationSeconds: 2, concurrency: 2 }, '/ratePerSecond'],
      [{ ratePerSecond: 5, durationSeconds: 61, concurrency: 2 }, '/durationSeconds'],
      [{ ratePerSecond: 5, durationSeconds: 2, concurrency: 21 }, '/concurrency'],
      [{ ratePerSecond: 5, durationSeconds: 2 }, '/concurrency'],
    ] as const) {
      const refused = await admin.send('POST', loadRuns, body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(refused.body.errors)).toContain(pointer);
    }
    expect((await admin.get(loadRuns)).body.items).toEqual([]);

    const started = await admin.send('POST', loadRuns, {
      ratePerSecond: 10,
      durationSeconds: 2,
      concurrency: 5,
    });
    expect(started.status, started.text).toBe(202);
    expect(started.headers.get('location')).toBe(`${loadRuns}/${started.body.loadRunId}`);
    expect(started.body).toMatchObject({ status: 'queued', progress: { sent: 0, planned: 20 } });
    // One load per API at a time: another case of echo waits too.
    const other = await admin.send('POST', '/console/v1/apis/echo/test-cases', hello({ status: 200 }));
    const busy = await admin.send('POST', `/console/v1/apis/echo/test-cases/${other.body.caseId}/load-runs`, {
      ratePerSecond: 1,
      durationSeconds: 1,
      concurrency: 1,
    });
    expect(busy.status, busy.text).toBe(409);

    const done = await eventually(async () => {
      const run = await viewer.get(`${loadRuns}/${started.body.loadRunId}`);
      return run.body.status === 'completed' || run.body.status === 'failed' ? run.body : undefined;
    }, 30_000);
    expect(done, JSON.stringify(done)).toMatchObject({
      status: 'completed',
      summary: { planned: 20, sent: 20, dropped: 0, errors: 0, errorRate: 0, statuses: { '200': 20 } },
    });
    const { latencyMs } = done.summary;
    expect(latencyMs.p50).toBeGreaterThan(0);
    expect(latencyMs.p50).toBeLessThanOrEqual(latencyMs.p99);
    expect(latencyMs.p99).toBeLessThanOrEqual(latencyMs.max);
    expect(done.series.map((s: { sent: number }) => s.sent)).toEqual([10, 10]);
    const listed = (await viewer.get(loadRuns)).body.items;
    expect(listed[0]).toMatchObject({ loadRunId: started.body.loadRunId, status: 'completed' });
    expect(listed[0]).not.toHaveProperty('series');
    // Done, the slot is free for the next run of the API.
    const next = await admin.send('POST', `/console/v1/apis/echo/test-cases/${other.body.caseId}/load-runs`, {
      ratePerSecond: 1,
      durationSeconds: 1,
      concurrency: 1,
    });
    expect(next.status, next.text).toBe(202);
    await eventually(async () => {
      const run = await admin.get(
        `/console/v1/apis/echo/test-cases/${other.body.caseId}/load-runs/${next.body.loadRunId}`,
      );
      return run.body.status === 'completed' ? run.body : undefined;
    }, 30_000);
    const audit = await admin.get('/console/v1/audit?limit=50');
    expect(JSON.stringify(audit.body)).toContain('test-case.load-run');
  });
});
