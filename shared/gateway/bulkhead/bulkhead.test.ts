import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toProblem } from '../../http/problem.ts';
import { Bulkhead, BulkheadRegistry, bulkheadFull, type Lease } from './bulkhead.ts';

/** A call that holds its slot until `finish` is called. */
function deferred(): { promise: Promise<void>; finish: () => void } {
  let finish!: () => void;
  const promise = new Promise<void>((resolve) => {
    finish = resolve;
  });
  return { promise, finish };
}

describe('Bulkhead', () => {
  it('admits up to maxInFlight and refuses the next one at once', () => {
    const bulkhead = new Bulkhead('orders', 2);
    const a = bulkhead.tryEnter();
    const b = bulkhead.tryEnter();
    expect(a).toBeDefined();
    expect(b).toBeDefined();
    expect(bulkhead.tryEnter()).toBeUndefined();
    expect(bulkhead.metrics()).toEqual({
      group: 'orders',
      maxInFlight: 2,
      inFlight: 2,
      peakInFlight: 2,
      admitted: 2,
      rejected: 1,
    });
    a!.release();
    expect(bulkhead.tryEnter()).toBeDefined();
  });

  it('enforces the limit across concurrent async calls', async () => {
    const bulkhead = new Bulkhead('slow', 3);
    let running = 0;
    let maxRunning = 0;
    const gates: Array<() => void> = [];
    const call = async (): Promise<'ok' | 'rejected'> => {
      const lease = bulkhead.tryEnter();
      if (!lease) return 'rejected';
      try {
        running++;
        maxRunning = Math.max(maxRunning, running);
        const { promise, finish } = deferred();
        gates.push(finish);
        await promise;
        return 'ok';
      } finally {
        running--;
        lease.release();
      }
    };
    const first = Array.from({ length: 10 }, call);
    await Promise.resolve();
    expect(bulkhead.inFlight).toBe(3);
    for (const finish of gates.splice(0)) finish();
    const outcomes = await Promise.all(first);
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(3);
    expect(outcomes.filter((o) => o === 'rejected')).toHaveLength(7);
    expect(maxRunning).toBe(3);
    expect(bulkhead.inFlight).toBe(0);

    // Freed slots are usable again.
    const second = Array.from({ length: 4 }, call);
    await Promise.resolve();
    for (const finish of gates.splice(0)) finish();
    expect((await Promise.all(second)).filter((o) => o === 'ok')).toHaveLength(3);
    expect(bulkhead.metrics()).toMatchObject({ admitted: 6, rejected: 8, inFlight: 0, peakInFlight: 3 });
  });

  it('releases a lease only once', () => {
    const bulkhead = new Bulkhead('g', 2);
    const a = bulkhead.tryEnter()!;
    const b = bulkhead.tryEnter()!;
    expect(a.released).toBe(false);
    a.release();
    a.release();
    a.release();
    expect(a.released).toBe(true);
    expect(bulkhead.inFlight).toBe(1);
    expect(b.released).toBe(false);
    b.release();
    b.release();
    expect(bulkhead.inFlight).toBe(0);
    expect(bulkhead.tryEnter()).toBeDefined();
    expect(bulkhead.tryEnter()).toBeDefined();
    expect(bulkhead.tryEnter()).toBeUndefined();
  });

  it('keeps in-flight within [0, max] whatever the order of enters and repeated releases', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.oneof(fc.constant('enter' as const), fc.nat({ max: 20 })), { maxLength: 200 }),
        (max, ops) => {
          const bulkhead = new Bulkhead('p', max);
          const leases: Lease[] = [];
          let rejected = 0;
          for (const op of ops) {
            if (op === 'enter') {
              const lease = bulkhead.tryEnter();
              if (lease) leases.push(lease);
              else rejected++;
            } else if (leases.length > 0) {
              leases[op % leases.length]!.release();
            }
            const live = leases.filter((l) => !l.released).length;
            expect(bulkhead.inFlight).toBe(live);
            expect(bulkhead.inFlight).toBeGreaterThanOrEqual(0);
            expect(bulkhead.inFlight).toBeLessThanOrEqual(max);
          }
          expect(bulkhead.metrics().rejected).toBe(rejected);
        },
      ),
    );
  });

  it('applies a lowered limit to new calls only', () => {
    const bulkhead = new Bulkhead('g', 3);
    const leases = [bulkhead.tryEnter()!, bulkhead.tryEnter()!, bulkhead.tryEnter()!];
    bulkhead.resize(1);
    expect(bulkhead.tryEnter()).toBeUndefined();
    leases[0]!.release();
    leases[1]!.release();
    expect(bulkhead.tryEnter()).toBeUndefined();
    leases[2]!.release();
    expect(bulkhead.tryEnter()).toBeDefined();
  });

  it('refuses limits that are not whole numbers ≥ 1', () => {
    expect(() => new Bulkhead('g', 0)).toThrow(RangeError);
    expect(() => new Bulkhead('g', 1.5)).toThrow(RangeError);
    expect(() => new Bulkhead('g', Number.NaN)).toThrow(RangeError);
    expect(() => new BulkheadRegistry({ groups: { x: -1 } })).toThrow(RangeError);
  });
});

describe('BulkheadRegistry', () => {
  it('uses per-group limits, the default group for APIs without one, and the default limit otherwise', () => {
    const registry = new BulkheadRegistry({ defaultMaxInFlight: 4, groups: { payments: 2 } });
    expect(registry.get('payments').maxInFlight).toBe(2);
    expect(registry.get().group).toBe('default');
    expect(registry.get(undefined)).toBe(registry.get('default'));
    expect(registry.get('')).toBe(registry.get('default'));
    expect(registry.get().maxInFlight).toBe(4);
    const unknown = registry.get('reports');
    expect(unknown.maxInFlight).toBe(4);
    expect(unknown).not.toBe(registry.get());
    expect(new BulkheadRegistry().get().maxInFlight).toBe(32);
    expect(new BulkheadRegistry({ defaultGroup: 'shared' }).get().group).toBe('shared');
  });

  it('keeps groups independent: a saturated group does not affect another', () => {
    const registry = new BulkheadRegistry({ groups: { slow: 2, fast: 2 } });
    expect(registry.tryEnter('slow')).toBeDefined();
    expect(registry.tryEnter('slow')).toBeDefined();
    for (let i = 0; i < 100; i++) expect(registry.tryEnter('slow')).toBeUndefined();
    const fastLeases = [registry.tryEnter('fast'), registry.tryEnter('fast')];
    expect(fastLeases.every(Boolean)).toBe(true);
    for (const lease of fastLeases) lease!.release();
    expect(registry.tryEnter('fast')).toBeDefined();
    expect(registry.tryEnter()).toBeDefined();
    const byGroup = Object.fromEntries(registry.metrics().map((m) => [m.group, m]));
    expect(byGroup.slow).toMatchObject({ inFlight: 2, rejected: 100, admitted: 2 });
    expect(byGroup.fast).toMatchObject({ inFlight: 1, rejected: 0, admitted: 3 });
    expect(byGroup.default).toMatchObject({ inFlight: 1, rejected: 0 });
  });

  it('throws a 503 problem with Retry-After from enter() when the group is full', () => {
    const registry = new BulkheadRegistry({ groups: { g: 1 } });
    const lease = registry.enter('g');
    let thrown: unknown;
    try {
      registry.enter('g');
    } catch (error) {
      thrown = error;
    }
    expect(toProblem(thrown)).toMatchObject({
      code: 'bulkhead-full',
      status: 503,
      headers: { 'retry-after': '1' },
    });
    expect(toProblem(bulkheadFull()).toBody('req-1')).toMatchObject({
      type: 'urn:portico:problem:bulkhead-full',
      status: 503,
      instance: 'req-1',
    });
    lease.release();
    expect(() => registry.enter('g')).not.toThrow();
  });

  it('reconfigures limits of existing and future groups', () => {
    const registry = new BulkheadRegistry({ defaultMaxInFlight: 5, groups: { a: 1 } });
    const a = registry.get('a');
    registry.reconfigure({ a: 3, b: 2 });
    expect(a.maxInFlight).toBe(3);
    expect(registry.get('b').maxInFlight).toBe(2);
    registry.reconfigure({});
    expect(a.maxInFlight).toBe(5);
  });
});
