import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoLeaseStore } from '../shared/gateway/adapters/dynamo-lease-store.ts';
import { RateLimiter } from '../shared/gateway/rate-limit/limiter.ts';
import type { RateLimitRule } from '../shared/gateway/rate-limit/policy.ts';
import { burstOf, rateOf } from '../shared/gateway/rate-limit/token-bucket.ts';
import { idealAdmissions, worstIntervalExcess } from '../shared/gateway/testing/rate-limit-simulation.ts';
import { aws } from './support/platform.ts';
import { useTable } from './support/tables.ts';
import { sleep } from './support/wait.ts';

/**
 * The distributed rate limiter against the local DynamoDB emulator: 8 separately constructed limiters,
 * each with its own SDK client and `DynamoLeaseStore` (as 8 Lambda execution environments would have),
 * share one token bucket and together offer 3× its rate for 10–20 s.
 */
const table = useTable('rl');

/**
 * DynamoDB applies the writes to one item one at a time, so a conditional `ADD` is atomic. The local
 * emulator (moto 5.2.1's server) does not: it serves requests on threads without item locks, and two
 * concurrent conditional updates can both pass their condition (or one `ADD` can be lost); measured
 * here, 40 concurrent leases on one item over-granted in 7 windows of 30. So every instance's store
 * client sends through one shared queue, which gives back the per-item serialisation DynamoDB
 * guarantees; each instance keeps its own SDK client and `DynamoLeaseStore`.
 */
let tail: Promise<unknown> = Promise.resolve();
function serialisedDocumentClient(): DynamoDBDocumentClient {
  const document = aws().document;
  const send = (command: Parameters<DynamoDBDocumentClient['send']>[0]) => {
    const result = tail.then(() => document.send(command as never));
    tail = result.catch(() => {});
    return result;
  };
  return { send } as unknown as DynamoDBDocumentClient;
}

describe('DynamoLeaseStore', () => {
  it('never grants more than the bucket to many clients, and hands out exactly what is left', async () => {
    const policy = { limit: 100, windowSeconds: 60 };
    const nowUs = Date.UTC(2030, 0, 1) * 1000;
    const stores = Array.from({ length: 8 }, () => new DynamoLeaseStore(serialisedDocumentClient(), table));
    const grants = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        stores[i % 8]!.acquire({ key: 'store-test', policy, nowUs, holdUs: 0, want: 7 }),
      ),
    );
    const granted = grants.reduce((s, g) => s + g.granted, 0);
    expect(granted, `granted ${grants.map((g) => g.granted).join(',')}`).toBe(100);
    // 14 leases of 7, then one that finds 2 left: its condition fails, the same call returns the
    // item (no read), and the retry takes exactly the 2; the rest get nothing.
    expect(grants.filter((g) => g.granted === 2)).toHaveLength(1);
    expect(grants.every((g) => g.reads === 0)).toBe(true);
    const full = nowUs + 60_000_000; // 100 units of 0.6 s
    expect(grants.every((g) => g.tatUs! <= full)).toBe(true);
    const { Items = [] } = await aws().document.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'RL#store-test' },
      }),
    );
    expect(Items).toHaveLength(1);
    expect(Items[0]).toMatchObject({ sk: 'TB#100/60/100', tat: full });
    expect(Items[0]!.expiresAt).toBeGreaterThanOrEqual(full / 1e6 + 300);
    const again = { key: 'store-test', policy, holdUs: 0, want: 5, lastTatUs: full };
    expect(await stores[0]!.acquire({ ...again, nowUs })).toMatchObject({ granted: 0, writes: 0 });
    // 3 s later, 5 units have come back.
    expect(await stores[0]!.acquire({ ...again, nowUs: nowUs + 3_000_000 })).toMatchObject({
      granted: 5,
      tatUs: full + 3_000_000,
      writes: 1,
    });
  });
});

describe('8 limiter instances offering 3× the rate', () => {
  // At 400/s each instance admits ~50 a second, enough to amortise its leases below 0.05 writes per
  // request. At 50/s it admits ~6 a second, so each lease carries a unit or two: ~0.5 writes per
  // request, bounded by instances × leases a second, not by traffic.
  // The run's fixed costs (the quarter of the burst that holding costs from a full bucket, units still
  // held when it stops) weigh ~6 % of a 10 s run at 400/s, ~3 % of a 20 s one.
  it.each([
    { LIMIT: 400, SECONDS: 20, maxWritesPerRequest: 0.05 },
    { LIMIT: 50, SECONDS: 10, maxWritesPerRequest: 0.6 },
  ])(
    'admit ≤ rate × T + burst over every interval, ≥ 95 % of a perfect bucket over $SECONDS s, at most $maxWritesPerRequest writes per request ($LIMIT/s)',
    async ({ LIMIT, SECONDS, maxWritesPerRequest }) => {
      const policy = { limit: LIMIT, windowSeconds: 1 };
      const rules: RateLimitRule[] = [{ name: 'app', key: `app#accuracy-${LIMIT}-${Date.now()}`, policy }];
      const limiters = Array.from(
        { length: 8 },
        () =>
          new RateLimiter({
            store: new DynamoLeaseStore(serialisedDocumentClient(), table),
            storeTimeoutMs: 2_000,
          }),
      );
      const failures: unknown[] = [];
      const startMs = Date.now() + 300; // for the loops to get ready
      const endMs = startMs + SECONDS * 1000;
      const perInstance = (3 * LIMIT) / limiters.length; // requests a second each
      const interval = 1000 / perInstance;
      const admittedAt: number[] = [];
      const decidedAt: number[] = [];

      async function instance(limiter: RateLimiter, index: number) {
        let next = startMs + (index * interval) / limiters.length;
        const maxRequests = Math.ceil((endMs - startMs) / interval) + 1; // count cap
        for (let n = 0; n < maxRequests && next < endMs; ) {
          const now = Date.now();
          if (now > endMs + 5_000) throw new Error('the instance fell more than 5 s behind'); // time cap
          if (now < next) {
            await sleep(next - now);
            continue;
          }
          if (now >= endMs) break; // arrived in time but could not be decided in the run: not counted
          n++;
          next += interval;
          const decision = await limiter.check(rules, now);
          if (decision.failedOpen) failures.push(decision);
          decidedAt.push(now);
          if (decision.allowed) admittedAt.push(now);
        }
      }
      await Promise.all(limiters.map(instance));

      admittedAt.sort((a, b) => a - b);
      decidedAt.sort((a, b) => a - b);
      const admitted = admittedAt.length;
      const offered = decidedAt.length;
      // What a perfect bucket admits of the same calls at the same instants: on a loaded machine the
      // loops fall behind their schedule, and calls never made cannot be admitted by any limiter.
      const ideal = idealAdmissions(decidedAt, policy);
      const sum = (f: (l: RateLimiter) => number) => limiters.reduce((s, l) => s + f(l), 0);
      const writes = sum((l) => l.stats.storeWrites);
      const bound = rateOf(policy) * SECONDS + burstOf(policy);
      const excess = worstIntervalExcess(admittedAt, policy);
      const figures =
        `admitted ${admitted} of ${offered} offered over ${SECONDS} s at ${LIMIT}/s: ` +
        `${((admitted / ideal) * 100).toFixed(2)} % of a perfect bucket (${ideal}), ${((admitted / bound) * 100).toFixed(2)} % of rate × T + burst (${bound}); ` +
        `worst interval ${excess.toFixed(2)} under its bound; ` +
        `${writes} store writes (${sum((l) => l.stats.storeCalls)} leases, ${sum((l) => l.stats.storeReads)} reads, ` +
        `${sum((l) => l.stats.storeFailures)} failures) = ${(writes / offered).toFixed(4)} writes/request; ` +
        `units leased but unused: ${sum((l) => l.stats.leasedUnits) - admitted} (${sum((l) => l.stats.expiredUnits)} expired)`;
      console.log(`[rate-limit integration] ${figures}`);

      expect(failures, figures).toHaveLength(0);
      expect(excess, figures).toBeLessThanOrEqual(0);
      expect(admitted, figures).toBeGreaterThanOrEqual(ideal * 0.95);
      expect(writes / offered, figures).toBeLessThanOrEqual(maxWritesPerRequest);
    },
    60_000,
  );
});
