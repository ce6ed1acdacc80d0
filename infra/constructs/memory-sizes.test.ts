import { describe, expect, it } from 'vitest';
import { callerPathMemoryMb, MEASURED_INIT_MS, ONE_VCPU_MB } from './memory-sizes.ts';

describe('callerPathMemoryMb', () => {
  it('is the smallest 64 MB step whose CPU share loads the function within the budget', () => {
    expect(callerPathMemoryMb(MEASURED_INIT_MS.gateway)).toBe(960);
    expect((MEASURED_INIT_MS.gateway * ONE_VCPU_MB) / 960).toBeLessThanOrEqual(250);
    expect((MEASURED_INIT_MS.gateway * ONE_VCPU_MB) / (960 - 64)).toBeGreaterThan(250);
    expect(callerPathMemoryMb(MEASURED_INIT_MS.token)).toBe(704);
    expect(callerPathMemoryMb(MEASURED_INIT_MS.discovery)).toBe(768);
  });

  it('never goes below Lambda’s least size', () => {
    expect(callerPathMemoryMb(1)).toBe(128);
  });
});
