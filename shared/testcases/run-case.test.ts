import { describe, expect, it } from 'vitest';
import { caseUrl, runCase } from './run-case.ts';
import { newTestCase, validateTestCase } from './test-case.ts';

const now = new Date('2026-12-04T10:00:00Z');
const testCase = newTestCase(
  'orders',
  validateTestCase({
    name: 'One order',
    request: {
      method: 'POST',
      path: '/orders/o%2F1',
      query: { expand: 'items' },
      headers: { 'x-tenant': 't1' },
      body: { a: 1 },
    },
    expect: { status: 200, jsonPath: [{ path: '$.id', equals: 'o/1' }], maxLatencyMs: 100 },
    environment: 'sandbox',
    everyMinutes: 5,
  }),
  now,
);

describe('running a test case', () => {
  it('sends the request below the API as the tester app, and checks the answer', async () => {
    const sent: { url: string; init: { headers: Record<string, string>; body?: string } }[] = [];
    const run = await runCase(
      {
        gatewayBaseUrl: 'https://api.test/',
        token: async () => 'tok',
        transport: async (url, init) => {
          sent.push({ url, init });
          return { status: 200, contentType: 'application/json', body: '{"id":"o/1"}', latencyMs: 42 };
        },
      },
      testCase,
      'manual',
      now,
    );
    expect(sent[0]!.url).toBe('https://api.test/apis/orders/orders/o%2F1?expand=items');
    expect(sent[0]!.init.headers).toMatchObject({
      authorization: 'Bearer tok',
      'x-tenant': 't1',
      'content-type': 'application/json',
    });
    expect(sent[0]!.init.body).toBe('{"a":1}');
    expect(run).toMatchObject({ ok: true, status: 200, latencyMs: 42, trigger: 'manual', failures: [] });
    expect(testCase.nextRunAt).toBe(now.toISOString());
  });

  it('fails a slow answer, a wrong value and a missing answer, saying which check and why', async () => {
    const slow = await runCase(
      {
        gatewayBaseUrl: 'https://api.test',
        token: async () => 'tok',
        transport: async () => ({
          status: 200,
          contentType: 'application/json',
          body: '{"id":"o/2"}',
          latencyMs: 250,
        }),
      },
      testCase,
      'schedule',
      now,
    );
    expect(slow.failures.map((f) => f.check)).toEqual(['latency', 'json-path']);
    const down = await runCase(
      {
        gatewayBaseUrl: 'https://api.test',
        token: async () => 'tok',
        transport: async () => {
          throw new Error('connect ECONNREFUSED');
        },
      },
      testCase,
      'schedule',
      now,
    );
    expect(down).toMatchObject({
      ok: false,
      failures: [{ check: 'status', message: 'no answer: connect ECONNREFUSED' }],
    });
  });

  it('builds the URL from the gateway base whatever its trailing slash', () => {
    expect(caseUrl('https://api.test', testCase)).toBe(caseUrl('https://api.test/', testCase));
  });
});
