import { beforeAll, describe, expect, it } from 'vitest';
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
  let admin: ReturnType<typeof as>;
  beforeAll(async () => {
    admin = as(await adminToken());
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
});
