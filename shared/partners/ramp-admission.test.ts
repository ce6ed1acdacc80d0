import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RampAdmission } from './ramp-admission.ts';

const admitted = (ramp: RampAdmission, percent: number, calls: number, partnerId = 'p') =>
  Array.from({ length: calls }, () => ramp.admits(partnerId, percent)).filter(Boolean).length;

describe('ramp admission', () => {
  it('lets exactly the share through over any run of calls, whatever the phase it starts at', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0.5, 1, 5, 25, 50, 99),
        fc.double({ min: 0, max: 0.999_999, noNaN: true }),
        fc.integer({ min: 200, max: 2_000 }),
        (percent, phase, calls) => {
          const got = admitted(new RampAdmission(() => phase), percent, calls);
          const expected = (calls * percent) / 100;
          expect(Math.abs(got - expected)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });

  it('admits 2 of 200 calls at 1 %, 10 at 5 %, 50 at 25 %, and all at 100 %', () => {
    for (const [percent, expected] of [
      [1, 2],
      [5, 10],
      [25, 50],
      [100, 200],
      [0, 0],
    ] as const) {
      expect(admitted(new RampAdmission(() => 0.37), percent, 200)).toBe(expected);
    }
  });

  it('counts each partner apart and starts again when the step changes', () => {
    const ramp = new RampAdmission(() => 0);
    expect(admitted(ramp, 10, 5, 'a')).toBe(1);
    expect(admitted(ramp, 10, 100, 'b')).toBe(10);
    expect(admitted(ramp, 10, 5, 'a')).toBe(0);
    expect(admitted(ramp, 50, 4, 'a')).toBe(2);
  });
});
