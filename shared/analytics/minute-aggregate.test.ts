import { describe, expect, it } from 'vitest';
import type { CallRecord } from './call-record.ts';
import { aggregateByMinute, percentileOf } from './minute-aggregate.ts';
import { sampleCallRecord } from './testing/call-record.fixture.ts';

const call = (over: Partial<CallRecord>): CallRecord =>
  sampleCallRecord({ appId: 'app_1', latencyMs: 7, bytesOut: 10, ...over });

describe('aggregateByMinute', () => {
  it('counts calls, errors and latency per api and per app and minute', () => {
    const aggs = aggregateByMinute([
      call({}),
      call({ status: 502, latencyMs: 300 }),
      call({ timestamp: '2026-11-23T17:43:00.000Z', appId: undefined }),
    ]);
    const api42 = aggs.find((a) => a.dimension === 'api#echo' && a.minute === '2026-11-23T17:42')!;
    expect(api42).toMatchObject({ count: 2, errors: 1, latencySumMs: 307 });
    expect(percentileOf(api42.buckets, 0.5)).toBe(10);
    expect(percentileOf(api42.buckets, 0.99)).toBe(500);
    expect(aggs.filter((a) => a.dimension === 'app#app_1')).toHaveLength(1);
    expect(aggs).toHaveLength(3);
  });
});
