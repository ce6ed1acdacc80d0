import { describe, expect, it } from 'vitest';
import {
  type Acquisition,
  type BreakerSnapshot,
  CircuitBreaker,
  type Permit,
  type TransitionEvent,
} from './breaker.ts';
import type { BreakerSettings } from './settings.ts';

/** Small numbers so the scenarios stay readable. */
const SETTINGS: BreakerSettings = {
  windowMs: 10_000,
  bucketMs: 1_000,
  minimumCalls: 10,
  failureRateThreshold: 50,
  slowCallDurationMs: 1_000,
  slowCallRateThreshold: 80,
  consecutiveFailures: 5,
  openBaseMs: 1_000,
  openMaxMs: 8_000,
  backoffResetMs: 5_000,
  halfOpenProbes: 3,
  halfOpenTimeoutMs: 2_000,
};

function setup(overrides: Partial<BreakerSettings> = {}, instanceId = 'a') {
  const events: TransitionEvent[] = [];
  const breaker = new CircuitBreaker(
    { ...SETTINGS, ...overrides },
    { instanceId, onTransition: (e) => events.push(e) },
  );
  return { breaker, events };
}

function permitted(acquisition: Acquisition): Permit {
  if (!acquisition.permitted) throw new Error(`refused while ${acquisition.state}`);
  return acquisition.permit;
}

type Outcome = 'ok' | 'fail' | 'slow';
function call(breaker: CircuitBreaker, now: number, outcome: Outcome): void {
  const permit = permitted(breaker.tryAcquire(now));
  if (outcome === 'fail') permit.failure(now);
  else permit.success(outcome === 'slow' ? 1_500 : 20, now);
}

function calls(breaker: CircuitBreaker, now: number, outcomes: Outcome[]): void {
  for (const outcome of outcomes) call(breaker, now, outcome);
}

/** Trips a breaker at `now` with consecutive failures. */
function trip(breaker: CircuitBreaker, now: number): void {
  calls(breaker, now, ['fail', 'fail', 'fail', 'fail', 'fail']);
}

const path = (events: TransitionEvent[]) => events.map((e) => `${e.from}>${e.to}:${e.reason}`);

describe('CircuitBreaker — closed state', () => {
  it('does not trip below the minimum volume, whatever the failure rate', () => {
    const { breaker, events } = setup({ consecutiveFailures: 0 });
    calls(breaker, 0, Array(9).fill('fail'));
    expect(breaker.state(0)).toBe('closed');
    expect(events).toEqual([]);
    call(breaker, 0, 'fail');
    expect(breaker.state(0)).toBe('open');
    expect(path(events)).toEqual(['closed>open:failure-rate']);
  });

  it('trips on the failure rate once it reaches the threshold', () => {
    const { breaker, events } = setup();
    calls(breaker, 0, ['ok', 'fail', 'ok', 'fail', 'ok', 'fail', 'ok', 'fail', 'ok', 'ok']);
    expect(breaker.state(0)).toBe('closed'); // 4 / 10 = 40 %
    call(breaker, 0, 'fail');
    expect(breaker.state(0)).toBe('closed'); // 5 / 11 = 45 %
    call(breaker, 0, 'fail');
    expect(breaker.state(0)).toBe('open'); // 6 / 12 = 50 %
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      from: 'closed',
      to: 'open',
      reason: 'failure-rate',
      at: 0,
      openUntil: 1_000,
    });
    expect(events[0]!.metrics).toMatchObject({ calls: 12, failures: 6, failureRate: 50 });
  });

  it('trips on the slow-call rate', () => {
    const below = setup();
    calls(below.breaker, 0, ['ok', 'ok', 'ok', ...Array<Outcome>(7).fill('slow')]);
    expect(below.breaker.state(0)).toBe('closed'); // 70 %
    const { breaker, events } = setup();
    calls(breaker, 0, ['ok', 'ok', ...Array<Outcome>(7).fill('slow')]);
    expect(breaker.state(0)).toBe('closed'); // 7 / 9, below the volume
    call(breaker, 0, 'slow');
    expect(breaker.state(0)).toBe('open'); // 8 / 10 = 80 %
    expect(events[0]).toMatchObject({ reason: 'slow-call-rate' });
    expect(events[0]!.metrics).toMatchObject({ calls: 10, slowCalls: 8, failures: 0, slowCallRate: 80 });
  });

  it('trips on consecutive failures at any volume, and a success resets the run', () => {
    const { breaker, events } = setup({ minimumCalls: 100 });
    calls(breaker, 0, ['fail', 'fail', 'fail', 'fail', 'ok', 'fail', 'fail', 'fail', 'fail']);
    expect(breaker.state(0)).toBe('closed');
    call(breaker, 0, 'fail');
    expect(breaker.state(0)).toBe('open');
    expect(events[0]).toMatchObject({ reason: 'consecutive-failures' });
    expect(events[0]!.metrics.consecutiveFailures).toBe(5);
  });

  it('forgets outcomes older than the window, one bucket at a time', () => {
    const { breaker } = setup({ consecutiveFailures: 0 });
    calls(breaker, 500, Array(6).fill('fail')); // bucket 0
    calls(breaker, 5_500, Array(3).fill('ok')); // bucket 5
    expect(breaker.metrics(9_999)).toMatchObject({ calls: 9, failures: 6 });
    expect(breaker.metrics(10_000)).toMatchObject({ calls: 3, failures: 0 });
    // Four failures now make 4 / 7: the six old ones no longer count, so no trip.
    calls(breaker, 10_000, Array(4).fill('fail'));
    expect(breaker.state(10_000)).toBe('closed');
    expect(breaker.metrics(15_999)).toMatchObject({ calls: 4, failures: 4 });
    expect(breaker.metrics(20_000)).toMatchObject({ calls: 0 });
  });

  it('ignores a permit settled twice', () => {
    const { breaker } = setup();
    const permit = permitted(breaker.tryAcquire(0));
    permit.success(10, 0);
    permit.failure(0);
    permit.success(10, 0);
    expect(permit.settled).toBe(true);
    expect(breaker.metrics(0)).toMatchObject({ calls: 1, failures: 0, consecutiveFailures: 0 });
  });

  it('ignores late answers to calls permitted before the breaker changed state', () => {
    const { breaker, events } = setup();
    const late = Array.from({ length: 50 }, () => permitted(breaker.tryAcquire(0)));
    trip(breaker, 0);
    for (const permit of late.slice(0, 25)) permit.failure(100);
    expect(path(events)).toEqual(['closed>open:consecutive-failures']);
    // After a recovery, answers to calls permitted in the first closed period do not count either.
    recover(breaker, 1_000);
    for (const permit of late.slice(25)) permit.failure(1_500);
    expect(breaker.metrics(1_500)).toMatchObject({ calls: 0, failures: 0, consecutiveFailures: 0 });
    expect(breaker.state(1_500)).toBe('closed');
    expect(events).toHaveLength(3);
  });
});

/** Takes a breaker whose open period is over through a successful half-open episode. */
function recover(breaker: CircuitBreaker, now: number): void {
  const probes = Array.from({ length: breaker.settings.halfOpenProbes }, () =>
    permitted(breaker.tryAcquire(now)),
  );
  for (const probe of probes) probe.success(10, now);
  expect(breaker.state(now)).toBe('closed');
}

describe('CircuitBreaker — open and half-open', () => {
  it('stays open for the base time, then the next call is the first probe', () => {
    const { breaker, events } = setup();
    trip(breaker, 0);
    expect(breaker.tryAcquire(500)).toEqual({ permitted: false, state: 'open', retryAfterMs: 500 });
    expect(breaker.tryAcquire(999)).toEqual({ permitted: false, state: 'open', retryAfterMs: 1 });
    expect(breaker.state(5_000)).toBe('open'); // no call yet: an idle API spends no time half-open
    const probe = permitted(breaker.tryAcquire(5_000));
    expect(probe.kind).toBe('probe');
    expect(breaker.state(5_000)).toBe('half-open');
    expect(path(events)).toEqual(['closed>open:consecutive-failures', 'open>half-open:open-elapsed']);
    expect(events[0]!.openUntil).toBe(1_000);
  });

  it('closes after the N probes succeed, with a fresh window', () => {
    const { breaker, events } = setup();
    trip(breaker, 0);
    const probes = [1, 2, 3].map(() => permitted(breaker.tryAcquire(1_000)));
    probes[0]!.success(10, 1_010);
    probes[1]!.success(10, 1_020);
    expect(breaker.state(1_020)).toBe('half-open');
    probes[2]!.success(10, 1_030);
    expect(breaker.state(1_030)).toBe('closed');
    expect(events.at(-1)).toMatchObject({
      from: 'half-open',
      to: 'closed',
      reason: 'probes-succeeded',
      at: 1_030,
    });
    expect(events.at(-1)!.metrics.probes).toEqual({
      admitted: 3,
      inFlight: 0,
      succeeded: 3,
      failed: 0,
      slow: 0,
    });
    expect(breaker.metrics(1_030)).toMatchObject({ calls: 0, failures: 0, consecutiveFailures: 0 });
    expect(permitted(breaker.tryAcquire(1_030)).kind).toBe('call');
  });

  it('reopens as soon as the probes make the failure rate certain', () => {
    const { breaker, events } = setup();
    trip(breaker, 0);
    const probes = [1, 2, 3].map(() => permitted(breaker.tryAcquire(1_000)));
    probes[0]!.failure(1_100); // 1 / 3 < 50 %: not decided yet
    expect(breaker.state(1_100)).toBe('half-open');
    probes[1]!.failure(1_200); // 2 / 3 ≥ 50 % whatever the last one does
    expect(breaker.state(1_200)).toBe('open');
    expect(events.at(-1)).toMatchObject({ from: 'half-open', to: 'open', reason: 'probe-failed', at: 1_200 });
    expect(events.at(-1)!.openUntil).toBe(1_200 + 2_000);
    probes[2]!.success(10, 1_300); // belongs to the finished episode: ignored
    expect(breaker.state(1_300)).toBe('open');
    expect(events).toHaveLength(3);
  });

  it('counts slow probes with the slow-call threshold', () => {
    const { breaker } = setup({ halfOpenProbes: 5 });
    trip(breaker, 0);
    const probes = [1, 2, 3, 4, 5].map(() => permitted(breaker.tryAcquire(1_000)));
    for (const probe of probes.slice(0, 3)) probe.success(1_500, 1_100);
    expect(breaker.state(1_100)).toBe('half-open'); // 3 / 5 = 60 % < 80 %
    probes[3]!.success(1_500, 1_200); // 4 / 5 = 80 %
    expect(breaker.state(1_200)).toBe('open');
  });

  it('admits exactly N probes under a burst of 1,000 concurrent calls: none leak', async () => {
    const { breaker } = setup({ halfOpenProbes: 5 });
    trip(breaker, 0);
    const burst = await Promise.all(
      Array.from({ length: 1_000 }, async (_, i) => {
        await Promise.resolve();
        return breaker.tryAcquire(1_000 + (i % 7));
      }),
    );
    const admitted = burst.filter((a) => a.permitted);
    expect(admitted).toHaveLength(5);
    for (const refused of burst.filter((a) => !a.permitted)) {
      expect(refused).toMatchObject({ permitted: false, state: 'half-open' });
      expect((refused as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(0);
    }
    // Settled probes do not hand their slot to someone else within the same episode.
    for (const a of admitted) (a as { permit: Permit }).permit.success(10, 1_010);
    expect(breaker.state(1_010)).toBe('closed');
    // Same in the synchronous worst case, on the next episode.
    trip(breaker, 2_000);
    const next = breaker.snapshot().openUntil;
    let count = 0;
    for (let i = 0; i < 1_000; i++) if (breaker.tryAcquire(next).permitted) count++;
    expect(count).toBe(5);
    expect(breaker.metrics(next).probes).toMatchObject({ admitted: 5, inFlight: 5 });
  });

  it('counts a probe that never reports as failed after halfOpenTimeoutMs: never stuck half-open', () => {
    const { breaker, events } = setup({ halfOpenProbes: 1 });
    trip(breaker, 0);
    const lost = permitted(breaker.tryAcquire(1_000)); // never settled
    expect(breaker.tryAcquire(2_999)).toMatchObject({
      permitted: false,
      state: 'half-open',
      retryAfterMs: 1,
    });
    expect(breaker.state(3_000)).toBe('open');
    expect(events.at(-1)).toMatchObject({ from: 'half-open', to: 'open', reason: 'probe-failed', at: 3_000 });
    expect(events.at(-1)!.metrics.probes).toMatchObject({ admitted: 1, failed: 1, inFlight: 0 });
    lost.success(10, 3_500); // too late: no effect
    expect(events).toHaveLength(3);
    // The next episode admits a probe again.
    expect(breaker.tryAcquire(3_000 + 2_000).permitted).toBe(true);
  });

  it('decides with silent probes among several: the timeouts count as failures', () => {
    const { breaker } = setup();
    trip(breaker, 0);
    const probes = [1, 2, 3].map(() => permitted(breaker.tryAcquire(1_000)));
    probes[0]!.success(10, 1_100);
    expect(breaker.state(2_999)).toBe('half-open');
    // At 3,000 both silent probes time out: 2 / 3 failed, at the logical instant they were due.
    expect(breaker.state(10_000)).toBe('open');
    expect(breaker.snapshot().openedAt).toBe(3_000);
    expect(breaker.metrics(10_000).probes).toMatchObject({ succeeded: 1, failed: 2 });
  });

  it('decides a low-traffic episode at its deadline on the probes that reported', () => {
    const a = setup();
    trip(a.breaker, 0);
    permitted(a.breaker.tryAcquire(1_000)).success(10, 1_000);
    // No other call comes: at 1,000 + 3 × 2,000 the episode closes on the one good probe.
    expect(a.breaker.state(6_999)).toBe('half-open');
    expect(a.breaker.state(7_000)).toBe('closed');
    expect(a.events.at(-1)).toMatchObject({ reason: 'probes-succeeded', at: 7_000 });

    const b = setup();
    trip(b.breaker, 0);
    permitted(b.breaker.tryAcquire(1_000)).success(10, 1_000);
    permitted(b.breaker.tryAcquire(4_000)).failure(4_000); // 1 of 3 failed: not certain yet
    expect(b.breaker.state(6_999)).toBe('half-open');
    expect(b.breaker.state(7_000)).toBe('open'); // 1 / 2 reported ≥ 50 %
    expect(b.events.at(-1)).toMatchObject({ reason: 'probe-failed', at: 7_000 });
  });

  it('frees a probe slot when the permit is cancelled (the call was never made)', () => {
    const { breaker } = setup({ halfOpenProbes: 1 });
    trip(breaker, 0);
    const probe = permitted(breaker.tryAcquire(1_000));
    expect(breaker.tryAcquire(1_000).permitted).toBe(false);
    probe.cancel(1_000);
    expect(breaker.wouldPermit(1_000)).toBe(true);
    permitted(breaker.tryAcquire(1_000)).success(10, 1_000);
    expect(breaker.state(1_000)).toBe('closed');
  });

  it('doubles the open period on repeated trips, caps it, and resets it after a healthy close', () => {
    const { breaker, events } = setup();
    const openPeriods = () => events.filter((e) => e.to === 'open').map((e) => (e.openUntil ?? 0) - e.at);
    trip(breaker, 0);
    let now = 0;
    for (let i = 0; i < 4; i++) {
      now = breaker.snapshot().openUntil;
      permitted(breaker.tryAcquire(now)).failure(now);
      permitted(breaker.tryAcquire(now)).failure(now);
    }
    expect(openPeriods()).toEqual([1_000, 2_000, 4_000, 8_000, 8_000]);
    expect(breaker.snapshot().backoffLevel).toBe(3);

    // Recovered, then tripping again within backoffResetMs: flapping keeps the long period.
    now = breaker.snapshot().openUntil;
    recover(breaker, now);
    trip(breaker, now + 4_999);
    expect(openPeriods().at(-1)).toBe(8_000);

    // Recovered and healthy for backoffResetMs: the next trip starts from the base again.
    now = breaker.snapshot().openUntil;
    recover(breaker, now);
    trip(breaker, now + 5_000);
    expect(openPeriods().at(-1)).toBe(1_000);
    expect(breaker.snapshot().backoffLevel).toBe(0);
  });

  it('emits each transition exactly once, in order, whatever the number of late answers', () => {
    const { breaker, events } = setup();
    const inFlight = Array.from({ length: 1_000 }, () => permitted(breaker.tryAcquire(0)));
    for (const permit of inFlight) permit.failure(10);
    expect(path(events)).toEqual(['closed>open:consecutive-failures']);
    recover(breaker, 1_010);
    for (const permit of inFlight) permit.failure(1_020);
    breaker.state(1_020);
    expect(path(events)).toEqual([
      'closed>open:consecutive-failures',
      'open>half-open:open-elapsed',
      'half-open>closed:probes-succeeded',
    ]);
    expect(events.map((e) => e.version)).toEqual([1, 2, 3]);
    for (let i = 1; i < events.length; i++) expect(events[i]!.from).toBe(events[i - 1]!.to);
  });

  it('never moves its clock backwards', () => {
    const { breaker } = setup();
    trip(breaker, 10_000);
    expect(breaker.tryAcquire(0)).toEqual({ permitted: false, state: 'open', retryAfterMs: 1_000 });
    expect(breaker.tryAcquire(Number.NaN)).toEqual({ permitted: false, state: 'open', retryAfterMs: 1_000 });
  });

  it('keeps working when a listener throws', () => {
    const breaker = new CircuitBreaker(SETTINGS, { instanceId: 'x' });
    const seen: string[] = [];
    breaker.onTransition(() => {
      throw new Error('publisher down');
    });
    const off = breaker.onTransition((e) => seen.push(e.to));
    trip(breaker, 0);
    expect(breaker.state(0)).toBe('open');
    off();
    recover(breaker, 1_000);
    expect(seen).toEqual(['open']);
  });

  it('tells without taking a slot whether a call would be permitted', () => {
    const { breaker } = setup({ halfOpenProbes: 1 });
    expect(breaker.wouldPermit(0)).toBe(true);
    trip(breaker, 0);
    expect(breaker.wouldPermit(999)).toBe(false);
    expect(breaker.wouldPermit(1_000)).toBe(true);
    expect(breaker.state(1_000)).toBe('open');
    permitted(breaker.tryAcquire(1_000));
    expect(breaker.wouldPermit(1_000)).toBe(false);
  });
});

describe('CircuitBreaker — sharing state across instances', () => {
  it('propagates a remote OPEN to a closed breaker, with its remaining time', () => {
    const a = setup({}, 'a');
    const b = setup({}, 'b');
    trip(a.breaker, 0);
    expect(b.breaker.merge(a.breaker.snapshot(), 400)).toBe('adopted');
    expect(b.breaker.tryAcquire(400)).toEqual({ permitted: false, state: 'open', retryAfterMs: 600 });
    expect(path(b.events)).toEqual(['closed>open:remote']);
    expect(b.events[0]!.episode).toBe(a.events[0]!.episode);
    expect(b.breaker.version).toBeGreaterThan(a.breaker.version);
  });

  it('never lets a remote CLOSED from another episode shorten a local open period', () => {
    const a = setup({}, 'a');
    const b = setup({}, 'b');
    calls(b.breaker, 0, ['ok', 'fail', 'ok']);
    trip(b.breaker, 0);
    recover(b.breaker, 1_000); // b is closed, at a higher version, in its own episode
    trip(a.breaker, 1_000);
    const closed = b.breaker.snapshot();
    expect(closed.state).toBe('closed');
    expect(a.breaker.merge(closed, 1_100)).toBe('kept-local');
    expect(a.breaker.state(1_100)).toBe('open');
    expect(a.breaker.version).toBeGreaterThan(closed.version); // so a's open wins in the store
    expect(a.events).toHaveLength(1);
    // and b, learning of a's episode, opens too: the instances converge on the open episode.
    expect(b.breaker.merge(a.breaker.snapshot(), 1_200)).toBe('adopted');
    expect(b.breaker.state(1_200)).toBe('open');
  });

  it('closes every instance of a shared episode once one of them has closed it', () => {
    const a = setup({}, 'a');
    const b = setup({}, 'b');
    trip(a.breaker, 0);
    b.breaker.merge(a.breaker.snapshot(), 100);
    recover(a.breaker, 1_000);
    expect(b.breaker.merge(a.breaker.snapshot(), 1_050)).toBe('closed-by-remote');
    expect(b.breaker.state(1_050)).toBe('closed');
    expect(path(b.events)).toEqual(['closed>open:remote', 'open>closed:remote']);
    // b never probed: one instance's probes were enough.
    expect(b.events.some((e) => e.to === 'half-open')).toBe(false);
  });

  it('ignores stale snapshots of an episode it has already left', () => {
    const a = setup({}, 'a');
    const b = setup({}, 'b');
    trip(a.breaker, 0);
    const old = a.breaker.snapshot();
    b.breaker.merge(old, 100);
    recover(b.breaker, 1_000); // b probed and closed episode E itself
    expect(b.breaker.merge(old, 1_100)).toBe('stale');
    // even a replayed OPEN of E whose time is not over (clock skew, replays) does not reopen b
    expect(b.breaker.merge({ ...old, openUntil: 5_000 }, 1_100)).toBe('stale');
    expect(b.breaker.state(1_100)).toBe('closed');
    expect(b.breaker.version).toBeGreaterThan(old.version);
  });

  it('is idempotent: the same snapshot merged twice changes nothing and emits nothing', () => {
    const a = setup({}, 'a');
    const b = setup({}, 'b');
    trip(a.breaker, 0);
    const snap = a.breaker.snapshot();
    expect(b.breaker.merge(snap, 100)).toBe('adopted');
    const after = b.breaker.snapshot();
    expect(b.breaker.merge(snap, 200)).toBe('same');
    expect(b.breaker.snapshot()).toEqual(after);
    expect(b.events).toHaveLength(1);
  });

  it('keeps versions monotonic and above every merged version (Lamport)', () => {
    const a = setup({}, 'a');
    const b = setup({}, 'b');
    const remote: BreakerSnapshot = {
      state: 'closed',
      version: 41,
      episode: '',
      openedAt: 0,
      openUntil: 0,
      backoffLevel: 0,
      closedAt: 0,
    };
    expect(a.breaker.merge(remote, 0)).toBe('same');
    expect(a.breaker.version).toBe(41);
    trip(a.breaker, 0);
    expect(a.breaker.version).toBe(42);
    expect(a.events[0]!.version).toBe(42);
    // A lower remote version never lowers the local one.
    b.breaker.merge(a.breaker.snapshot(), 10);
    expect(b.breaker.version).toBe(43);
    b.breaker.merge({ ...remote, version: 3 }, 20);
    expect(b.breaker.version).toBe(43);
  });

  it('converges on the later-ending episode when two instances trip independently', () => {
    const a = setup({}, 'a');
    const b = setup({}, 'b');
    trip(a.breaker, 0); // open until 1,000
    trip(b.breaker, 300); // open until 1,300
    const sa = a.breaker.snapshot();
    const sb = b.breaker.snapshot();
    expect(a.breaker.merge(sb, 400)).toBe('adopted');
    expect(b.breaker.merge(sa, 400)).toBe('kept-local');
    expect(a.breaker.snapshot().episode).toBe(sb.episode);
    expect(a.breaker.snapshot().openUntil).toBe(1_300);
    expect(path(a.events)).toEqual(['closed>open:consecutive-failures']); // open → open: no event
  });

  it('lets a running remote OPEN send a probing breaker back to open, voiding its probes', () => {
    const a = setup({}, 'a');
    const b = setup({}, 'b');
    trip(b.breaker, 0);
    const probe = permitted(b.breaker.tryAcquire(1_000));
    trip(a.breaker, 900);
    expect(b.breaker.merge(a.breaker.snapshot(), 1_100)).toBe('adopted');
    expect(b.breaker.tryAcquire(1_100)).toEqual({ permitted: false, state: 'open', retryAfterMs: 800 });
    probe.success(10, 1_200);
    expect(b.breaker.state(1_200)).toBe('open');
    expect(path(b.events).at(-1)).toBe('half-open>open:remote');
  });

  it('caps a remote open period at its own openMaxMs', () => {
    const { breaker } = setup();
    const remote: BreakerSnapshot = {
      state: 'open',
      version: 7,
      episode: 'z:1',
      openedAt: 0,
      openUntil: 10_000_000,
      backoffLevel: 99,
      closedAt: 0,
    };
    expect(breaker.merge(remote, 0)).toBe('adopted');
    expect(breaker.snapshot()).toMatchObject({ openUntil: 8_000, backoffLevel: 3 });
  });

  it('is not moved by a remote that is probing, or by garbage', () => {
    const { breaker, events } = setup();
    const probing: BreakerSnapshot = {
      state: 'half-open',
      version: 9,
      episode: 'z:1',
      openedAt: 0,
      openUntil: 1_000,
      backoffLevel: 0,
      closedAt: 0,
    };
    expect(breaker.merge(probing, 1_500)).toBe('same');
    expect(breaker.merge({ ...probing, state: 'open' }, 1_500)).toBe('same'); // its time is over
    expect(breaker.merge({ ...probing, state: 'stuck' }, 1_500)).toBe('invalid');
    expect(breaker.merge({ ...probing, state: 'open', episode: '' }, 0)).toBe('invalid');
    expect(breaker.merge(null, 0)).toBe('invalid');
    expect(breaker.merge({ ...probing, version: Number.POSITIVE_INFINITY }, 0)).toBe('invalid');
    expect(breaker.merge({ ...probing, version: 2 ** 60 }, 0)).toBe('invalid'); // would poison the clock
    expect(breaker.state(1_500)).toBe('closed');
    expect(events).toEqual([]);
  });
});
