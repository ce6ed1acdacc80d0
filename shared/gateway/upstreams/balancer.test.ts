import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type BalancingStrategy,
  failureKindForStatus,
  type Pick,
  UpstreamPool,
  type UpstreamPoolOptions,
  UpstreamPools,
  type UpstreamServer,
} from './balancer.ts';

const A = 'https://a.internal';
const B = 'https://b.internal';
const C = 'https://c.internal';

/** A pool on a manual clock, starting at the beginning of its cycle. */
function poolOf(servers: UpstreamServer[], options: UpstreamPoolOptions = {}) {
  const clock = { now: 1_000_000 };
  const pool = new UpstreamPool(servers, { random: () => 0, clock: () => clock.now, ...options });
  return { pool, clock };
}

/** Picks `n` times, settling each call at once with `outcome`. */
function drive(pool: UpstreamPool, now: number, n: number, outcome: (p: Pick) => void = (p) => p.success(1)) {
  const urls: string[] = [];
  for (let i = 0; i < n; i++) {
    const pick = pool.pick(now)!;
    urls.push(pick.url);
    outcome(pick);
  }
  return urls;
}

const countBy = (urls: string[]) =>
  urls.reduce<Record<string, number>>((acc, url) => {
    acc[url] = (acc[url] ?? 0) + 1;
    return acc;
  }, {});

describe('UpstreamPool: weighted round-robin', () => {
  it.each<BalancingStrategy>(['weighted-round-robin', 'least-in-flight'])(
    'spreads 10,000 picks by weight within one percent (%s)',
    (strategy) => {
      const weights = { [A]: 5, [B]: 3, [C]: 2 };
      const { pool, clock } = poolOf(
        Object.entries(weights).map(([url, weight]) => ({ url, weight })),
        { strategy, random: () => 0.42 },
      );
      const counts = countBy(drive(pool, clock.now, 10_000));
      for (const [url, weight] of Object.entries(weights)) {
        expect(Math.abs(counts[url]! / 10_000 - weight / 10)).toBeLessThan(0.01);
      }
    },
  );

  it('gives equal shares with the default weight of 1', () => {
    const { pool, clock } = poolOf([{ url: A }, { url: B }, { url: C }]);
    expect(drive(pool, clock.now, 6)).toEqual([A, B, C, A, B, C]);
  });

  it('is smooth: interleaves the heavy server instead of sending its share in a block', () => {
    const { pool, clock } = poolOf([
      { url: A, weight: 5 },
      { url: B, weight: 1 },
      { url: C, weight: 1 },
    ]);
    expect(drive(pool, clock.now, 7)).toEqual([A, A, B, A, C, A, A]);

    for (const weights of [
      [5, 1, 1],
      [3, 1],
      [7, 3],
      [2, 3, 5],
      [4, 4, 1],
      [10, 1],
    ]) {
      const total = weights.reduce((a, b) => a + b);
      const urls = weights.map((_, i) => `https://s${i}.internal`);
      const { pool: p } = poolOf(
        weights.map((weight, i) => ({ url: urls[i]!, weight })),
        { random: () => 0.61 },
      );
      const seq = drive(p, 0, 5_000);
      // After any number of picks, every server is within 2 picks of its exact share.
      const counts = weights.map(() => 0);
      let deviation = 0;
      seq.forEach((url, n) => {
        counts[urls.indexOf(url)]!++;
        weights.forEach((w, i) => {
          deviation = Math.max(deviation, Math.abs(counts[i]! - ((n + 1) * w) / total));
        });
      });
      expect(deviation).toBeLessThan(2);
      // The heaviest server never runs longer than its ratio to the others, plus one.
      const heavy = urls[weights.indexOf(Math.max(...weights))]!;
      const maxW = Math.max(...weights);
      let run = 0;
      let longest = 0;
      for (const url of seq) {
        run = url === heavy ? run + 1 : 0;
        longest = Math.max(longest, run);
      }
      expect(longest).toBeLessThanOrEqual(Math.ceil(maxW / (total - maxW)) + 1);
    }
  });

  it('is deterministic for a given start, and the start position comes from the injected randomness', () => {
    const servers = [
      { url: A, weight: 2 },
      { url: B, weight: 1 },
    ];
    const seq = (r: number) => drive(new UpstreamPool(servers, { random: () => r }), 0, 6);
    expect(seq(0.5)).toEqual(seq(0.5));
    expect(seq(0)).toEqual([A, B, A, A, B, A]);
    expect(seq(0.5)).toEqual([B, A, A, B, A, A]);
    expect(seq(0.99)).toEqual([A, A, B, A, A, B]);
  });
});

describe('UpstreamPool: least in flight', () => {
  it('prefers idle servers over the heavier busy one', () => {
    const { pool, clock } = poolOf(
      [
        { url: A, weight: 3 },
        { url: B, weight: 1 },
      ],
      { strategy: 'least-in-flight' },
    );
    const first = pool.pick(clock.now)!;
    expect(first.url).toBe(A); // tie at 0 in flight: the heavier wins
    const second = pool.pick(clock.now)!;
    expect(second.url).toBe(B); // A is busy
    const third = pool.pick(clock.now)!;
    const fourth = pool.pick(clock.now)!;
    expect([third.url, fourth.url].sort()).toEqual([A, B]); // one each at 1 in flight
    second.release();
    fourth.url === B ? fourth.release() : third.release();
    expect(pool.pick(clock.now)!.url).toBe(B); // B has 0 in flight, A has 2
  });

  it('always avoids a server with calls in flight while another is idle', () => {
    const { pool, clock } = poolOf(
      [
        { url: A, weight: 10 },
        { url: B, weight: 1 },
        { url: C, weight: 1 },
      ],
      { strategy: 'least-in-flight' },
    );
    const held = [pool.pick(clock.now)!, pool.pick(clock.now)!];
    expect(held.map((p) => p.url).sort()).toEqual([A, B].sort());
    expect(pool.pick(clock.now)!.url).toBe(C);
  });

  it('breaks ties by weight, then round-robin among equal weights', () => {
    const { pool, clock } = poolOf(
      [
        { url: A, weight: 1 },
        { url: B, weight: 2 },
        { url: C, weight: 1 },
      ],
      { strategy: 'least-in-flight' },
    );
    expect(drive(pool, clock.now, 8)).toEqual([B, A, C, B, B, A, C, B]);
  });
});

describe('UpstreamPool: passive ejection', () => {
  it('moves traffic to the healthy server after consecutiveFailures and back after recovery', () => {
    const { pool, clock } = poolOf([{ url: A }, { url: B }]);
    const aFails = (p: Pick) => (p.url === A ? p.failure('5xx') : p.success(5));
    const before = drive(pool, clock.now, 6, aFails);
    expect(countBy(before)).toEqual({ [A]: 3, [B]: 3 });
    expect(pool.state(A, clock.now)).toBe('ejected');
    expect(pool.snapshot(clock.now)[0]).toMatchObject({
      totalEjections: 1,
      ejectedUntil: clock.now + 30_000,
    });

    clock.now += 29_999;
    expect(countBy(drive(pool, clock.now, 50, aFails))).toEqual({ [B]: 50 });

    // Ejection over: probation; the first trial succeeds and A is healthy again.
    clock.now += 1;
    expect(pool.state(A, clock.now)).toBe('probation');
    const after = drive(pool, clock.now, 10);
    expect(countBy(after)).toEqual({ [A]: 5, [B]: 5 });
    expect(pool.state(A, clock.now)).toBe('healthy');
    expect(pool.snapshot(clock.now)[0]).toMatchObject({ ejectionsSinceRecovery: 0 });
  });

  it('only counts consecutive failures: a success in between resets the run', () => {
    const { pool, clock } = poolOf([{ url: A }], { consecutiveFailures: 3 });
    for (const outcome of ['f', 'f', 's', 'f', 'f', 's', 'f', 'f']) {
      const p = pool.pick(clock.now)!;
      outcome === 'f' ? p.failure('timeout') : p.success(3);
    }
    expect(pool.state(A, clock.now)).toBe('healthy');
    pool.pick(clock.now)!.failure('connect');
    expect(pool.state(A, clock.now)).toBe('ejected');
    expect(pool.snapshot(clock.now)[0]!.failures).toEqual({ connect: 1, timeout: 6, '5xx': 0 });
  });

  it('doubles the ejection per repeated ejection up to the cap, and resets it on recovery', () => {
    const { pool, clock } = poolOf([{ url: A }, { url: B }], {
      consecutiveFailures: 1,
      ejectionMs: 1_000,
      maxEjectionMs: 5_000,
    });
    const failA = () => {
      const p = pool.pick(clock.now)!;
      if (p.url !== A) {
        p.success(1);
        return failA();
      }
      p.failure('connect');
    };
    const durations: number[] = [];
    for (let i = 0; i < 5; i++) {
      failA();
      const until = pool.snapshot(clock.now)[0]!.ejectedUntil!;
      durations.push(until - clock.now);
      clock.now = until; // probation: the next pick of A is the trial, and it fails
    }
    expect(durations).toEqual([1_000, 2_000, 4_000, 5_000, 5_000]);

    // A successful trial recovers the server and resets the backoff.
    let trial = pool.pick(clock.now)!;
    while (trial.url !== A) {
      trial.success(1);
      trial = pool.pick(clock.now)!;
    }
    trial.success(1);
    expect(pool.state(A, clock.now)).toBe('healthy');
    failA();
    expect(pool.snapshot(clock.now)[0]!.ejectedUntil! - clock.now).toBe(1_000);
  });

  it('ignores stragglers: calls picked before an ejection do not eject again or lengthen it', () => {
    const { pool, clock } = poolOf([{ url: A }, { url: B }], { strategy: 'least-in-flight' });
    const inFlight: Pick[] = [];
    for (let i = 0; i < 20; i++) inFlight.push(pool.pick(clock.now)!);
    const onA = inFlight.filter((p) => p.url === A);
    expect(onA).toHaveLength(10);
    for (const p of onA) p.failure('timeout');
    const a = pool.snapshot(clock.now)[0]!;
    expect(a).toMatchObject({
      state: 'ejected',
      totalEjections: 1,
      ejectedUntil: clock.now + 30_000,
      inFlight: 0,
    });
    expect(a.failures.timeout).toBe(10);

    // A straggler finishing during probation says nothing about the trial.
    const { pool: p2, clock: c2 } = poolOf([{ url: A }, { url: B }], { consecutiveFailures: 1 });
    const straggler = p2.pick(c2.now)!; // A
    p2.pick(c2.now)!.success(1); // B
    const failing = p2.pick(c2.now)!; // A
    failing.failure('connect');
    c2.now += 30_000;
    straggler.failure('timeout');
    expect(p2.state(A, c2.now)).toBe('probation');
  });

  it('takes one trial call at a time in probation and ejects for twice as long when it fails', () => {
    const { pool, clock } = poolOf([{ url: A }, { url: B }], { consecutiveFailures: 1 });
    pool.pick(clock.now)!.failure('5xx'); // A ejected for 30 s
    clock.now += 30_000;
    const picks = Array.from({ length: 6 }, () => pool.pick(clock.now)!);
    expect(countBy(picks.map((p) => p.url))).toEqual({ [A]: 1, [B]: 5 });
    const trial = picks.find((p) => p.url === A)!;
    trial.failure('timeout');
    expect(pool.snapshot(clock.now)[0]).toMatchObject({ state: 'ejected', ejectedUntil: clock.now + 60_000 });
    for (const p of picks) p.release();
  });

  it('ejects nothing on release: an abandoned call is no verdict', () => {
    const { pool, clock } = poolOf([{ url: A }], { consecutiveFailures: 1 });
    for (let i = 0; i < 10; i++) pool.pick(clock.now)!.release();
    expect(pool.snapshot(clock.now)[0]).toMatchObject({ state: 'healthy', inFlight: 0, picks: 10 });
  });
});

describe('UpstreamPool: panic mode', () => {
  it('picks the server whose ejection ends first when every server is ejected', () => {
    const { pool, clock } = poolOf([{ url: A }, { url: B }, { url: C }], { consecutiveFailures: 1 });
    pool.pick(clock.now)!.failure('connect'); // A until +30 s
    clock.now += 1_000;
    pool.pick(clock.now)!.failure('connect'); // B until +31 s
    clock.now += 1_000;
    pool.pick(clock.now)!.failure('connect'); // C until +32 s
    const panicPicks = Array.from({ length: 5 }, () => pool.pick(clock.now)!);
    expect(panicPicks.every((p) => p.url === A && p.panic)).toBe(true);
    expect(pool.panicPicks).toBe(5);
    // Their failures do not lengthen A's ejection.
    for (const p of panicPicks) p.failure('5xx');
    expect(pool.snapshot(clock.now)[0]!.ejectedUntil).toBe(1_000_000 + 30_000);
    expect(pool.snapshot(clock.now).every((s) => s.inFlight === 0)).toBe(true);
  });

  it('spreads panic picks over servers returning at the same moment', () => {
    const { pool, clock } = poolOf([{ url: A }, { url: B }]);
    pool.markUnhealthy(A, clock.now);
    pool.markUnhealthy(B, clock.now);
    const picks = drive(pool, clock.now, 4, (p) => p.release());
    expect(countBy(picks)).toEqual({ [A]: 2, [B]: 2 });
  });

  it('keeps a single-upstream API answering, and fails fast when panic mode is off', () => {
    const { pool, clock } = poolOf([{ url: A }]);
    drive(pool, clock.now, 3, (p) => p.failure('connect'));
    expect(pool.state(A, clock.now)).toBe('ejected');
    expect(pool.pick(clock.now)).toMatchObject({ url: A, panic: true });

    const { pool: strict, clock: c2 } = poolOf([{ url: A }], { panicMode: false });
    drive(strict, c2.now, 3, (p) => p.failure('connect'));
    expect(strict.pick(c2.now)).toBeUndefined();
    c2.now += 30_000;
    expect(strict.pick(c2.now)).toMatchObject({ url: A, panic: false });
  });

  it('does not count a panic success as recovery while the server is still ejected', () => {
    const { pool, clock } = poolOf([{ url: A }]);
    drive(pool, clock.now, 3, (p) => p.failure('connect'));
    pool.pick(clock.now)!.success(2);
    expect(pool.state(A, clock.now)).toBe('ejected');
  });
});

describe('UpstreamPool: active health check verdicts', () => {
  it('brings an ejected server back at once after a passing check, without resetting its backoff', () => {
    const { pool, clock } = poolOf([{ url: A }, { url: B }], { consecutiveFailures: 1 });
    pool.pick(clock.now)!.failure('connect');
    clock.now += 5_000;
    expect(pool.markHealthy(A, clock.now)).toBe(true);
    expect(pool.state(A, clock.now)).toBe('healthy');
    expect(countBy(drive(pool, clock.now, 4, (p) => p.release()))).toEqual({ [A]: 2, [B]: 2 });
    // No real success yet: the next ejection is twice as long.
    let p = pool.pick(clock.now)!;
    while (p.url !== A) {
      p.release();
      p = pool.pick(clock.now)!;
    }
    p.failure('5xx');
    expect(pool.snapshot(clock.now)[0]!.ejectedUntil! - clock.now).toBe(60_000);
  });

  it('ejects on a failing check, and keeps an ejected server out for another ejection time', () => {
    const { pool, clock } = poolOf([{ url: A }, { url: B }]);
    expect(pool.markUnhealthy(A, clock.now)).toBe(true);
    expect(pool.snapshot(clock.now)[0]).toMatchObject({ state: 'ejected', ejectedUntil: clock.now + 30_000 });
    clock.now += 20_000;
    pool.markUnhealthy(A, clock.now);
    expect(pool.snapshot(clock.now)[0]!.ejectedUntil).toBe(clock.now + 30_000);
    expect(pool.snapshot(clock.now)[0]!.totalEjections).toBe(1);
    expect(countBy(drive(pool, clock.now, 10))).toEqual({ [B]: 10 });
  });

  it('ignores verdicts older than the last state change or already applied', () => {
    const { pool, clock } = poolOf([{ url: A }, { url: B }], { consecutiveFailures: 1 });
    const probedAt = clock.now;
    clock.now += 1_000;
    pool.pick(clock.now)!.failure('connect'); // A ejected after the probe was made
    expect(pool.markHealthy(A, probedAt)).toBe(false);
    expect(pool.state(A, clock.now)).toBe('ejected');

    clock.now += 1_000;
    expect(pool.markHealthy(A, clock.now)).toBe(true);
    expect(pool.markUnhealthy(A, clock.now)).toBe(false); // same time: already have a verdict
    expect(pool.markHealthy(A, clock.now - 1)).toBe(false);
    expect(pool.state(A, clock.now)).toBe('healthy');
    expect(pool.markHealthy('https://unknown', clock.now)).toBe(false);
    expect(pool.snapshot(clock.now)[0]!.lastHealthCheck).toEqual({ at: clock.now, ok: true });
  });
});

describe('UpstreamPool: in-flight accounting', () => {
  it('decrements once whatever is reported, in whatever order', () => {
    const { pool, clock } = poolOf([{ url: A }]);
    const p = pool.pick(clock.now)!;
    const q = pool.pick(clock.now)!;
    expect(pool.snapshot(clock.now)[0]!.inFlight).toBe(2);
    p.success(10);
    p.failure('5xx');
    p.release();
    p.success(1);
    expect(p.settled).toBe(true);
    expect(q.settled).toBe(false);
    expect(pool.snapshot(clock.now)[0]).toMatchObject({
      inFlight: 1,
      successes: 1,
      failures: { connect: 0, timeout: 0, '5xx': 0 },
      lastLatencyMs: 10,
    });
    q.release();
    q.release();
    expect(pool.snapshot(clock.now)[0]!.inFlight).toBe(0);
  });

  it('validates its configuration', () => {
    expect(() => new UpstreamPool([])).toThrow(RangeError);
    expect(() => new UpstreamPool([{ url: A, weight: 0 }])).toThrow(RangeError);
    expect(() => new UpstreamPool([{ url: A, weight: 1.5 }])).toThrow(RangeError);
    expect(() => new UpstreamPool([{ url: A, weight: 1001 }])).toThrow(RangeError);
    expect(() => new UpstreamPool([{ url: A }, { url: A }])).toThrow(RangeError);
    expect(() => new UpstreamPool([{ url: A }], { consecutiveFailures: 0 })).toThrow(RangeError);
    expect(() => new UpstreamPool([{ url: A }], { ejectionMs: 10, maxEjectionMs: 5 })).toThrow(RangeError);
    expect(() => new UpstreamPool([{ url: A }], { strategy: 'random' as BalancingStrategy })).toThrow(
      RangeError,
    );
    const pool = new UpstreamPool([{ url: A }], { ejectionMs: 600_000 });
    expect(pool.maxEjectionMs).toBe(600_000);
  });
});

describe('UpstreamPools', () => {
  it('keeps a pool while its configuration is unchanged and carries server state over a change', () => {
    const now = 0;
    const pools = new UpstreamPools({ random: () => 0, clock: () => now, consecutiveFailures: 1 });
    const pool = pools.get('orders', [{ url: A }, { url: B }]);
    expect(pools.get('orders', [{ url: A, weight: 1 }, { url: B }])).toBe(pool);

    const held = pool.pick(now)!; // A, still in flight across the change
    pool.pick(now)!.success(1); // B
    pool.pick(now)!.failure('connect'); // A ejected
    const next = pools.get('orders', [{ url: A }, { url: C, weight: 2 }]);
    expect(next).not.toBe(pool);
    expect(next.urls).toEqual([A, C]);
    expect(next.snapshot(now)[0]).toMatchObject({ state: 'ejected', inFlight: 1, picks: 2 });
    held.release();
    expect(next.snapshot(now)[0]!.inFlight).toBe(0);
    expect([...pools.values()]).toEqual([next]);
    expect(
      pools.get('orders', [{ url: A }, { url: C, weight: 2 }], { strategy: 'least-in-flight' }),
    ).not.toBe(next);
    expect(pools.delete('orders')).toBe(true);
  });
});

describe('failureKindForStatus', () => {
  it('counts gateway failures only', () => {
    expect([500, 501, 502, 503, 504, 505, 404, 200].map(failureKindForStatus)).toEqual([
      undefined,
      undefined,
      '5xx',
      '5xx',
      '5xx',
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe('UpstreamPool: properties', () => {
  type Command =
    | { t: 'pick' }
    | { t: 'success'; i: number; latency: number }
    | { t: 'failure'; i: number; kind: 'connect' | 'timeout' | '5xx' }
    | { t: 'release'; i: number }
    | { t: 'advance'; ms: number }
    | { t: 'health'; server: number; ok: boolean };

  const command: fc.Arbitrary<Command> = fc.oneof(
    { weight: 4, arbitrary: fc.constant({ t: 'pick' as const }) },
    {
      weight: 2,
      arbitrary: fc.record({ t: fc.constant('success' as const), i: fc.nat(), latency: fc.nat(500) }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        t: fc.constant('failure' as const),
        i: fc.nat(),
        kind: fc.constantFrom('connect' as const, 'timeout' as const, '5xx' as const),
      }),
    },
    { weight: 1, arbitrary: fc.record({ t: fc.constant('release' as const), i: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ t: fc.constant('advance' as const), ms: fc.nat(200) }) },
    {
      weight: 1,
      arbitrary: fc.record({ t: fc.constant('health' as const), server: fc.nat(3), ok: fc.boolean() }),
    },
  );

  it('never picks an ejected server while a healthy one exists, and never lets in-flight go negative', () => {
    const seen = { ejection: 0, panic: 0, probation: 0, recovery: 0 };
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }),
        fc.constantFrom<BalancingStrategy>('weighted-round-robin', 'least-in-flight'),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 10, max: 200 }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        fc.array(command, { minLength: 20, maxLength: 300 }),
        (weights, strategy, consecutiveFailures, ejectionMs, start, commands) => {
          let now = 0;
          const urls = weights.map((_, i) => `https://s${i}.internal`);
          const pool = new UpstreamPool(
            weights.map((weight, i) => ({ url: urls[i]!, weight })),
            {
              strategy,
              consecutiveFailures,
              ejectionMs,
              maxEjectionMs: ejectionMs * 8,
              clock: () => now,
              random: () => start,
            },
          );
          const handles: Pick[] = [];
          /** The i-th unsettled call (mostly), or any call (so settled handles get reports too). */
          const at = (i: number) => {
            const open = handles.filter((h) => !h.settled);
            return i % 5 === 0 || open.length === 0 ? handles[i % handles.length] : open[i % open.length];
          };
          for (const c of commands) {
            switch (c.t) {
              case 'pick': {
                const before = pool.snapshot(now);
                const healthyExists = before.some((s) => s.state === 'healthy');
                const pick = pool.pick(now);
                expect(pick).toBeDefined();
                const picked = before.find((s) => s.url === pick!.url)!;
                if (healthyExists) {
                  expect(picked.state).not.toBe('ejected');
                  expect(pick!.panic).toBe(false);
                }
                if (!pick!.panic) expect(picked.state).not.toBe('ejected');
                if (pick!.panic) seen.panic++;
                if (picked.state === 'probation') seen.probation++;
                handles.push(pick!);
                break;
              }
              case 'success':
                at(c.i)?.success(c.latency);
                break;
              case 'failure':
                at(c.i)?.failure(c.kind);
                break;
              case 'release':
                at(c.i)?.release();
                break;
              case 'advance':
                now += c.ms;
                break;
              case 'health': {
                const url = urls[c.server % urls.length]!;
                c.ok ? pool.markHealthy(url, now) : pool.markUnhealthy(url, now);
                break;
              }
            }
            for (const s of pool.snapshot(now)) {
              if (s.totalEjections > 0 && s.state === 'healthy') seen.recovery++;
              expect(s.inFlight).toBeGreaterThanOrEqual(0);
              expect(s.inFlight).toBe(handles.filter((h) => h.url === s.url && !h.settled).length);
              if (s.state === 'healthy') expect(s.ejectedUntil).toBeUndefined();
            }
          }
          seen.ejection += pool.snapshot(now).reduce((sum, s) => sum + s.totalEjections, 0);
        },
      ),
      { numRuns: 300 },
    );
    // The generated histories do reach every state.
    expect(Object.values(seen).every((n) => n > 0)).toBe(true);
  });
});
