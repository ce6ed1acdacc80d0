import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ApiDefinition } from './api-definition.ts';
import type { GatewayEventEntry } from './circuit-breaker/events.ts';
import {
  DEPRECATED_CALL_DETAIL_TYPE,
  DeprecatedCallSightings,
  deprecatedCallOfBusEvent,
} from './deprecated-calls.ts';

const T0 = Date.parse('2026-12-04T10:00:00.000Z');
const api = (lifecycle: ApiDefinition['lifecycle'], name = 'orders'): ApiDefinition => ({
  name,
  version: '1',
  upstreams: [{ url: 'https://orders.internal' }],
  timeoutMs: 1000,
  authModes: ['token'],
  requiredScopes: [],
  ...(lifecycle ? { lifecycle } : {}),
});
const deprecated = api({
  status: 'deprecated',
  deprecatedAt: '2026-12-01T00:00:00.000Z',
  sunsetAt: '2027-06-30T00:00:00.000Z',
  link: 'https://docs.example.com/orders-v2',
});
/** An entry as the bus hands it to the rule's target. */
const asDelivered = (entry: GatewayEventEntry) => ({
  source: entry.Source,
  'detail-type': entry.DetailType,
  detail: JSON.parse(entry.Detail),
});

describe('sightings of calls to a deprecated API', () => {
  it('report each app once per deprecation, and nothing for a published API', () => {
    const reported: GatewayEventEntry[] = [];
    const sightings = new DeprecatedCallSightings((e) => reported.push(e));
    sightings.called(api(undefined), 'app_a', T0);
    sightings.called(api({ status: 'published' }), 'app_a', T0);
    sightings.called(deprecated, 'app_a', T0);
    sightings.called(deprecated, 'app_a', T0 + 1000);
    sightings.called(deprecated, 'app_b', T0 + 2000);
    const redeprecated = api({ ...deprecated.lifecycle!, deprecatedAt: '2026-12-05T00:00:00.000Z' });
    sightings.called(redeprecated, 'app_a', T0 + 3000);
    expect(reported.map((e) => [e.DetailType, JSON.parse(e.Detail).appId])).toEqual([
      [DEPRECATED_CALL_DETAIL_TYPE, 'app_a'],
      [DEPRECATED_CALL_DETAIL_TYPE, 'app_b'],
      [DEPRECATED_CALL_DETAIL_TYPE, 'app_a'],
    ]);
    expect(deprecatedCallOfBusEvent(asDelivered(reported[0]!))).toEqual({
      api: 'orders',
      version: '1',
      appId: 'app_a',
      deprecatedAt: '2026-12-01T00:00:00.000Z',
      sunsetAt: '2027-06-30T00:00:00.000Z',
      link: 'https://docs.example.com/orders-v2',
      at: new Date(T0).toISOString(),
    });
  });

  it('keep a bounded memory: past it, an app may be reported again, never lost', () => {
    const reported: GatewayEventEntry[] = [];
    const sightings = new DeprecatedCallSightings((e) => reported.push(e), 3);
    for (const app of ['a', 'b', 'c', 'd', 'a']) sightings.called(deprecated, `app_${app}`, T0);
    expect(reported.map((e) => JSON.parse(e.Detail).appId)).toEqual([
      'app_a',
      'app_b',
      'app_c',
      'app_d',
      'app_a',
    ]);
  });
});

describe('a deprecated call read from the bus', () => {
  it('is nothing unless it is a whole report of the gateway', () => {
    const entry = (detail: Record<string, unknown>, source = 'portico.gateway') => ({
      source,
      'detail-type': DEPRECATED_CALL_DETAIL_TYPE,
      detail: {
        api: 'orders',
        version: '1',
        appId: 'app_a',
        deprecatedAt: '2026-12-01T00:00:00.000Z',
        at: '2026-12-04T10:00:00.000Z',
        ...detail,
      },
    });
    expect(deprecatedCallOfBusEvent(entry({}))).toBeDefined();
    expect(deprecatedCallOfBusEvent(entry({}, 'biz.orders'))).toBeUndefined();
    expect(deprecatedCallOfBusEvent(entry({ appId: '' }))).toBeUndefined();
    expect(deprecatedCallOfBusEvent(entry({ deprecatedAt: 'yesterday' }))).toBeUndefined();
    expect(deprecatedCallOfBusEvent(entry({ sunsetAt: 7 }))).toBeUndefined();
    fc.assert(
      fc.property(fc.anything(), (detail) => {
        const event = { source: 'portico.gateway', 'detail-type': DEPRECATED_CALL_DETAIL_TYPE, detail };
        const read = deprecatedCallOfBusEvent(event);
        if (read) expect(typeof read.appId).toBe('string');
      }),
    );
  });
});
