import { describe, expect, it } from 'vitest';
import { toProblem } from '../../http/problem.ts';
import { CircuitBreaker, type TransitionEvent } from './breaker.ts';
import { breakerOpenProblem, degradedAnswer, retryAfterSeconds } from './degrade.ts';
import { BREAKER_EVENT_DETAIL_TYPE, BREAKER_EVENT_SOURCE, breakerEventEntry } from './events.ts';

describe('degraded answers', () => {
  it('defaults to a 503 problem with Retry-After in whole seconds', () => {
    const problem = toProblem(breakerOpenProblem({ state: 'open', retryAfterMs: 4_200 }));
    expect(problem.status).toBe(503);
    expect(problem.headers).toEqual({ 'retry-after': '5' });
    expect(problem.toBody('req-1')).toMatchObject({
      type: 'urn:portico:problem:circuit-open',
      status: 503,
      instance: 'req-1',
      retryAfterSeconds: 5,
    });
    expect(breakerOpenProblem({ state: 'half-open', retryAfterMs: 1 }).detail).toMatch(/recovering/);
    expect(degradedAnswer(undefined, { state: 'open', retryAfterMs: 1 })).toBeUndefined();
    expect([0, 1, 999, 1_000, 1_001, -5].map(retryAfterSeconds)).toEqual([1, 1, 1, 1, 2, 1]);
  });

  it('sends the configured answer, adding Retry-After unless the owner set one', () => {
    const refusal = { state: 'open' as const, retryAfterMs: 2_000 };
    expect(degradedAnswer({ status: 200, body: '[]' }, refusal)).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'application/json', 'retry-after': '2' },
      body: '[]',
    });
    expect(
      degradedAnswer(
        { status: 503, body: 'later', contentType: 'text/plain', headers: { 'Retry-After': '60' } },
        refusal,
      ),
    ).toEqual({
      statusCode: 503,
      headers: { 'content-type': 'text/plain', 'retry-after': '60' },
      body: 'later',
    });
  });
});

describe('EventBridge entries', () => {
  it('describes a state change as one PutEvents entry', () => {
    const events: TransitionEvent[] = [];
    const breaker = new CircuitBreaker(
      { consecutiveFailures: 1, openBaseMs: 1_000 },
      { instanceId: 'i', onTransition: (e) => events.push(e) },
    );
    const a = breaker.tryAcquire(Date.UTC(2026, 0, 1));
    if (a.permitted) a.permit.failure(Date.UTC(2026, 0, 1));
    const entry = breakerEventEntry('orders#https://a.example', events[0]!);
    expect(entry).toMatchObject({
      EventBusName: 'portico',
      Source: BREAKER_EVENT_SOURCE,
      DetailType: BREAKER_EVENT_DETAIL_TYPE,
      Time: new Date(Date.UTC(2026, 0, 1)),
    });
    expect(entry.Source.startsWith('biz.')).toBe(false);
    expect(JSON.parse(entry.Detail)).toMatchObject({
      api: 'orders',
      upstream: 'https://a.example',
      from: 'closed',
      to: 'open',
      reason: 'consecutive-failures',
      at: '2026-01-01T00:00:00.000Z',
      openUntil: '2026-01-01T00:00:01.000Z',
      metrics: { calls: 1, failures: 1, consecutiveFailures: 1 },
    });
  });
});
