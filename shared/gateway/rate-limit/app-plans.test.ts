import { describe, expect, it } from 'vitest';
import type { App } from '../../identity/model.ts';
import { AppPlans } from './app-plans.ts';

const app = (rateLimits?: App['rateLimits']): App => ({
  appId: 'app_1',
  name: 'a',
  scopes: [],
  redirectUris: [],
  status: 'active',
  createdAt: '2026-01-01T00:00:00Z',
  ...(rateLimits ? { rateLimits } : {}),
});

describe('AppPlans', () => {
  it('reads an app once per period however many calls ask, and picks up a change after it', async () => {
    let now = 0;
    let reads = 0;
    let current = app({ app: { limit: 10, windowSeconds: 60 } });
    const getApp = async () => {
      reads++;
      return current;
    };
    const plans = new AppPlans({ getApp }, 60_000, () => now);
    for (let i = 0; i < 100; i++)
      expect(await plans.limitsFor('app_1')).toEqual({ app: { limit: 10, windowSeconds: 60 } });
    expect(reads).toBe(1);
    current = app({ appApi: { limit: 5, windowSeconds: 1 } });
    now += 60_000;
    expect(await plans.limitsFor('app_1')).toEqual({ appApi: { limit: 5, windowSeconds: 1 } });
    expect(reads).toBe(2);
  });

  it('answers no plan for an unknown app or a failing store', async () => {
    const plans = new AppPlans({ getApp: () => Promise.reject(new Error('down')) });
    expect(await plans.limitsFor('app_x')).toBeUndefined();
    expect(await new AppPlans({ getApp: async () => undefined }).limitsFor('app_y')).toBeUndefined();
  });
});
