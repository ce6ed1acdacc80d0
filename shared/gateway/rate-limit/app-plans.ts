import { TtlCache } from '../../cache.ts';
import type { App } from '../../identity/model.ts';
import type { DimensionPolicies } from './policy.ts';

/** An app's plan is re-read this often: a plan change takes effect within it. */
export const APP_PLAN_TTL_MS = 60_000;
const MAX_CACHED_APPS = 10_000;

/**
 * Each app's own rate-limit plan (`App.rateLimits`), kept in memory per app for a minute: a warm
 * gateway reads an app once a minute at most, whatever its traffic. A failed read serves the plan last
 * seen, or none (the API's own policies then apply).
 */
export class AppPlans {
  private readonly plans = new Map<string, TtlCache<DimensionPolicies | undefined>>();

  constructor(
    private readonly apps: { getApp(appId: string): Promise<App | undefined> },
    private readonly ttlMs = APP_PLAN_TTL_MS,
    private readonly clock: () => number = Date.now,
  ) {}

  async limitsFor(appId: string): Promise<DimensionPolicies | undefined> {
    let entry = this.plans.get(appId);
    if (!entry) {
      if (this.plans.size >= MAX_CACHED_APPS) this.plans.delete(this.plans.keys().next().value!);
      entry = new TtlCache(async () => (await this.apps.getApp(appId))?.rateLimits, this.ttlMs, this.clock);
      this.plans.set(appId, entry);
    }
    return entry.get().catch(() => undefined);
  }
}
