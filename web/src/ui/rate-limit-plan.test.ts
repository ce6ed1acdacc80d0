import { describe, expect, it } from 'vitest';
import { describePlan, describePlanParts, describePolicy, describeWindow } from './rate-limit-plan.ts';

describe('a rate-limit plan in words', () => {
  it('names the round windows, and counts the seconds of the others', () => {
    expect(describeWindow(1)).toBe('a second');
    expect(describeWindow(60)).toBe('a minute');
    expect(describeWindow(3600)).toBe('an hour');
    expect(describeWindow(86400)).toBe('a day');
    expect(describeWindow(90)).toBe('every 90 seconds');
    expect(describeWindow(7200)).toBe('every 7,200 seconds');
  });

  it('says how many calls, how often and where', () => {
    expect(describePolicy({ limit: 600, windowSeconds: 60 }, 'appApi')).toBe(
      '600 calls a minute to each API',
    );
    expect(describePolicy({ limit: 10, windowSeconds: 1 }, 'app')).toBe('10 calls a second in all');
    expect(describePolicy({ limit: 1, windowSeconds: 3600 }, 'app')).toBe('1 call an hour in all');
    expect(describePolicy({ limit: 1_000_000, windowSeconds: 86400 }, 'appApi')).toBe(
      '1,000,000 calls a day to each API',
    );
    expect(describePolicy({ limit: 100, windowSeconds: 90 }, 'appApi')).toBe(
      '100 calls every 90 seconds to each API',
    );
  });

  it('shows the burst when one is set', () => {
    expect(describePolicy({ limit: 600, windowSeconds: 60, burst: 50 }, 'appApi')).toBe(
      '600 calls a minute to each API, bursts of up to 50',
    );
    expect(describePolicy({ limit: 5000, windowSeconds: 3600, burst: 1500 }, 'app')).toBe(
      '5,000 calls an hour in all, bursts of up to 1,500',
    );
  });

  it('lists the limit on each API first, and nothing for no plan', () => {
    const plan = { app: { limit: 10, windowSeconds: 1 }, appApi: { limit: 600, windowSeconds: 60 } };
    expect(describePlanParts(plan)).toEqual(['600 calls a minute to each API', '10 calls a second in all']);
    expect(describePlan(plan)).toBe('600 calls a minute to each API; 10 calls a second in all');
    expect(describePlan({ appApi: { limit: 600, windowSeconds: 60 } })).toBe(
      '600 calls a minute to each API',
    );
    expect(describePlan({ app: { limit: 10, windowSeconds: 1 } })).toBe('10 calls a second in all');
    expect(describePlanParts(undefined)).toEqual([]);
    expect(describePlan(undefined)).toBe('');
    expect(describePlan({})).toBe('');
  });
});
