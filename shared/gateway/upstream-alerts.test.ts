import { describe, expect, it } from 'vitest';
import {
  BREAKER_EVENT_DETAIL_TYPE,
  BREAKER_EVENT_SOURCE,
  type BreakerEventDetail,
} from './circuit-breaker/events.ts';
import type { HealthResult } from './ports.ts';
import {
  alertOfBreakerEvent,
  alertOfBusEvent,
  SERVER_HEALTH_DETAIL_TYPE,
  serverHealthChanges,
  serverHealthEventEntry,
} from './upstream-alerts.ts';

const AT = '2026-12-04T10:00:00.000Z';
const T = Date.parse(AT);
const breaker = (over: Partial<BreakerEventDetail>): BreakerEventDetail => ({
  api: 'orders',
  from: 'closed',
  to: 'open',
  reason: 'failure-rate',
  at: AT,
  episode: 'i1-3',
  version: 4,
  metrics: {} as BreakerEventDetail['metrics'],
  ...over,
});
const result = (url: string, ok: boolean, checkedAt = T, error?: HealthResult['error']): HealthResult => ({
  url,
  ok,
  latencyMs: 12,
  checkedAt,
  ...(error ? { error } : {}),
});

describe('breaker alerts', () => {
  it('tells of a breaker that opened or closed again, and of nothing else', () => {
    expect(alertOfBreakerEvent(breaker({ openUntil: '2026-12-04T10:00:30.000Z' }))).toEqual({
      type: 'breaker.opened',
      api: 'orders',
      at: AT,
      reason: 'failure-rate',
      openUntil: '2026-12-04T10:00:30.000Z',
      occurrence: 'i1-3/closed',
    });
    expect(
      alertOfBreakerEvent(breaker({ from: 'half-open', to: 'closed', reason: 'probes-succeeded' })),
    ).toMatchObject({ type: 'breaker.closed', occurrence: 'i1-3' });
    expect(
      alertOfBreakerEvent(breaker({ from: 'open', to: 'half-open', reason: 'open-elapsed' })),
    ).toBeUndefined();
  });

  it("names a per-server breaker's server by its origin only", () => {
    const alert = alertOfBreakerEvent(
      breaker({ upstream: 'https://user:pw@orders.internal:8443/v1?key=s3cret' }),
    );
    expect(alert?.server).toBe('https://orders.internal:8443');
    expect(JSON.stringify(alert)).not.toContain('s3cret');
  });
});

describe('server health changes', () => {
  const pools = [
    { api: 'orders', urls: ['http://a.internal/v1', 'http://b.internal/v1'], sandbox: false },
    { api: 'orders', urls: ['http://sandbox.internal/'], sandbox: true },
    { api: 'billing', urls: ['http://b.internal/v1'], sandbox: false },
  ];

  it('tells of a server failing that was not known to fail, and of one passing after it failed', () => {
    const previous = [
      result('http://a.internal/v1', true, T - 60_000),
      result('http://b.internal/v1', false, T - 60_000),
    ];
    const changes = serverHealthChanges(pools, previous, [
      result('http://a.internal/v1', false, T, 'timeout'),
      result('http://b.internal/v1', true),
      result('http://sandbox.internal/', false),
    ]);
    expect(changes.map((c) => [c.detail.api, c.detail.server, c.detail.sandbox, c.detail.healthy])).toEqual([
      ['orders', 'http://a.internal', false, false],
      ['orders', 'http://b.internal', false, true],
      ['billing', 'http://b.internal', false, true],
      ['orders', 'http://sandbox.internal', true, false],
    ]);
    expect(changes[0]).toMatchObject({ url: 'http://a.internal/v1', detail: { error: 'timeout', at: AT } });
  });

  it('tells nothing of a verdict that stays, judged against the latest previous result', () => {
    const previous = [
      result('http://a.internal/v1', true, T - 120_000),
      result('http://a.internal/v1', false, T - 60_000),
      result('http://b.internal/v1', true, T - 60_000),
    ];
    expect(
      serverHealthChanges(pools, previous, [
        result('http://a.internal/v1', false),
        result('http://b.internal/v1', true),
      ]),
    ).toEqual([]);
    expect(serverHealthChanges(pools, [], [result('http://a.internal/v1', true)])).toEqual([]);
  });
});

describe('alerts from the bus', () => {
  const onBus = (entry: { Source: string; DetailType: string; Detail: string }) => ({
    source: entry.Source,
    'detail-type': entry.DetailType,
    detail: JSON.parse(entry.Detail),
  });

  it('reads back what the health check announced', () => {
    const [change] = serverHealthChanges(
      [{ api: 'orders', urls: ['http://a.internal/v1'], sandbox: false }],
      [],
      [result('http://a.internal/v1', false, T, 'probe-error')],
    );
    const entry = serverHealthEventEntry(change!.detail);
    expect(entry.DetailType).toBe(SERVER_HEALTH_DETAIL_TYPE);
    expect(entry.Detail).not.toContain('/v1');
    expect(alertOfBusEvent(onBus(entry))).toEqual({
      type: 'server.ejected',
      api: 'orders',
      server: 'http://a.internal',
      at: AT,
      reason: 'probe-error',
      occurrence: AT,
    });
  });

  it('ignores other sources and types, and details missing what an alert needs', () => {
    const detail = breaker({});
    const event = { source: BREAKER_EVENT_SOURCE, 'detail-type': BREAKER_EVENT_DETAIL_TYPE, detail };
    expect(alertOfBusEvent(event)?.type).toBe('breaker.opened');
    for (const hostile of [
      undefined,
      null,
      'text',
      [],
      { ...event, source: 'biz.orders' },
      { ...event, 'detail-type': 'Something Else' },
      { ...event, detail: { ...detail, api: 42 } },
      { ...event, detail: { ...detail, at: 'yesterday' } },
      { ...event, detail: { ...detail, episode: undefined } },
      {
        ...event,
        'detail-type': SERVER_HEALTH_DETAIL_TYPE,
        detail: { api: 'orders', at: AT, healthy: false, server: 'not a url' },
      },
      {
        ...event,
        'detail-type': SERVER_HEALTH_DETAIL_TYPE,
        detail: { api: 'orders', at: AT, server: 'http://a.internal' },
      },
    ]) {
      expect(alertOfBusEvent(hostile), JSON.stringify(hostile)).toBeUndefined();
    }
  });
});
