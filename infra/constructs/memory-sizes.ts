/** Lambda gives a function one full vCPU at this size, and CPU in proportion below it. */
export const ONE_VCPU_MB = 1_769;

/** What a function on a caller's path may take to load once its init is scaled to its CPU share. */
export const COLD_START_BUDGET_MS = 250;

/**
 * Module init of the hot-path functions at one full vCPU (`npm run bench:cold-start`, 2026-12-04;
 * docs/benchmarks.md, "Cold start"). Re-measure and update when a bundle changes much.
 */
export const MEASURED_INIT_MS = { gateway: 135, token: 95, discovery: 104 } as const;

/**
 * The memory of a function on a caller's path (docs/cost.md, "Memory sizes"): below one vCPU a call's
 * CPU costs the same at any size while its waiting costs in proportion to memory, so the smallest size
 * (in 64 MB steps) whose scaled init stays within the cold-start budget.
 */
export function callerPathMemoryMb(initMsAtOneVcpu: number, budgetMs = COLD_START_BUDGET_MS): number {
  return Math.max(128, Math.ceil((ONE_VCPU_MB * initMsAtOneVcpu) / budgetMs / 64) * 64);
}
