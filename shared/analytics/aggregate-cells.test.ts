import { describe, expect, it } from 'vitest';
import { cellsOf, parsePeriod, periodOf } from './aggregate-cells.ts';
import type { DeliveryRecord } from './delivery-record.ts';
import { bucketKey } from './latency-sketch.ts';
import { sampleCallRecord } from './testing/call-record.fixture.ts';

const delivery = (over: Partial<DeliveryRecord> = {}): DeliveryRecord => ({
  v: 1,
  kind: 'delivery',
  timestamp: '2030-01-01T10:05:30.000Z',
  deliveryId: 'dlv_1',
  messageId: 'msg_1',
  subscriptionId: 'sub_1',
  appId: 'app_1',
  topic: 'orders.created',
  attempt: 1,
  outcome: 'sent',
  endpoint: 'https://example.com',
  status: 200,
  latencyMs: 40,
  publishedAt: '2030-01-01T10:05:29.750Z',
  ...over,
});

describe('aggregate cells', () => {
  it('counts a call in each of its dimensions at every grain, with its status class, bytes and latency', () => {
    const cells = cellsOf(
      sampleCallRecord({
        timestamp: '2030-01-01T10:05:30.123Z',
        api: 'orders',
        route: 'GET /orders/{id}',
        appId: 'app_1',
        partnerId: 'acme',
        status: 201,
        latencyMs: 12,
        upstreamLatencyMs: 9,
        bytesIn: 10,
        bytesOut: 300,
      }),
    );
    expect(new Set(cells.map((c) => c.dimension))).toEqual(
      new Set([
        'calls',
        'calls#api=orders',
        'calls#api=orders#route=GET /orders/{id}',
        'calls#app=app_1',
        'calls#app=app_1#api=orders',
        'calls#partner=acme',
        'calls#top=api',
        'calls#top=partner',
        'calls#top=app',
      ]),
    );
    expect(cells.find((c) => c.dimension === 'calls#top=api')!.counters).toEqual({
      'count:orders': 1,
      'errors:orders': 0,
    });
    expect(new Set(cells.map((c) => c.period))).toEqual(
      new Set(['MIN#2030-01-01T10:05', 'HOUR#2030-01-01T10', 'DAY#2030-01-01']),
    );
    expect(cells).toHaveLength(27);
    expect(cells[0]!.counters).toEqual({
      count: 1,
      'status:2xx': 1,
      bytesIn: 10,
      bytesOut: 300,
      latencySumMs: 12,
      [`latency:${bucketKey(12)}`]: 1,
    });
  });

  it('counts 5xx answers and typed failures as errors, by type', () => {
    expect(cellsOf(sampleCallRecord({ status: 503 }))[0]!.counters).toMatchObject({
      errors: 1,
      'error:http-503': 1,
      'status:5xx': 1,
    });
    expect(cellsOf(sampleCallRecord({ status: 429, errorType: 'rate-limited' }))[0]!.counters).toMatchObject({
      errors: 1,
      'error:rate-limited': 1,
      'status:4xx': 1,
    });
    expect(cellsOf(sampleCallRecord({ status: 404 }))[0]!.counters.errors).toBeUndefined();
  });

  it('counts delivery attempts by outcome, and publish → delivered for the ones sent', () => {
    const sent = cellsOf(delivery());
    expect(new Set(sent.map((c) => c.dimension))).toEqual(
      new Set([
        'deliveries',
        'deliveries#topic=orders.created',
        'deliveries#subscription=sub_1',
        'deliveries#app=app_1',
      ]),
    );
    expect(sent[0]!.counters).toEqual({
      count: 1,
      'outcome:sent': 1,
      'status:2xx': 1,
      latencySumMs: 40,
      [`latency:${bucketKey(40)}`]: 1,
      [`delivered:${bucketKey(250)}`]: 1,
    });
    const retried = cellsOf(delivery({ outcome: 'retry', status: undefined, errorClass: 'timeout' }))[0]!;
    expect(retried.counters).toMatchObject({ 'outcome:retry': 1, 'error:timeout': 1 });
    expect(Object.keys(retried.counters).some((k) => k.startsWith('delivered:'))).toBe(false);
  });

  it('puts a timestamp with an offset in its UTC periods', () => {
    const [cell] = cellsOf(sampleCallRecord({ timestamp: '2030-01-01T23:59:59+01:00' }));
    expect(cell!.period).toBe('MIN#2030-01-01T22:59');
  });

  it('names periods so that they sort by time, and reads them back', () => {
    expect(periodOf('minute', '2030-01-01T10:05:30Z')).toBe('MIN#2030-01-01T10:05');
    expect(parsePeriod('MIN#2030-01-01T10:05')).toEqual({
      grain: 'minute',
      startMs: Date.UTC(2030, 0, 1, 10, 5),
    });
    expect(parsePeriod('HOUR#2030-01-01T10')).toEqual({ grain: 'hour', startMs: Date.UTC(2030, 0, 1, 10) });
    expect(parsePeriod('DAY#2030-01-01')).toEqual({ grain: 'day', startMs: Date.UTC(2030, 0, 1) });
    expect(() => parsePeriod('WEEK#2030-01')).toThrow();
  });
});
