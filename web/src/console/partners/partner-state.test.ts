import { describe, expect, it } from 'vitest';
import type { PartnerHealth } from '../api/partners.ts';
import { currentRampStep } from './partner-state.ts';

const ramp = [
  { percent: 1, minDurationMs: 60_000, minCalls: 10 },
  { percent: 5, minDurationMs: 60_000, minCalls: 20 },
  { percent: 25, minDurationMs: 120_000, minCalls: 50 },
  { percent: 100, minDurationMs: 120_000, minCalls: 100 },
];

const health = (overrides: Partial<PartnerHealth>): PartnerHealth => ({
  partnerId: 'acme',
  healthy: false,
  standing: 'ramping',
  phase: 'ramping',
  admittedPercent: 5,
  notices: [],
  asOf: '2030-01-01T00:00:00Z',
  degraded: false,
  ...overrides,
});

describe('the current ramp step', () => {
  it('is the step admitting the share admitted now', () => {
    expect(currentRampStep(ramp, health({ admittedPercent: 5 }))).toBe(1);
    expect(currentRampStep(ramp, health({ admittedPercent: 25 }))).toBe(2);
  });

  it('is none unless the partner is ramping', () => {
    expect(
      currentRampStep(ramp, health({ phase: 'healthy', standing: 'healthy', admittedPercent: 100 })),
    ).toBeUndefined();
    expect(currentRampStep(ramp, health({ standing: 'unhealthy', admittedPercent: 0 }))).toBeUndefined();
    expect(currentRampStep(ramp, undefined)).toBeUndefined();
  });
});
