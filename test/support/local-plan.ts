import { REPO_ROOT } from '../../infra/repo-root.ts';
import { type LocalPlan, planLocal } from '../../local/plan.ts';
import { synthStacks } from '../../local/synth.ts';
import { portico } from './platform.ts';

/** What the local runtime runs, planned from the synthesized CDK app (takes seconds). */
export const localPlan = (): LocalPlan => planLocal(synthStacks(), REPO_ROOT);

/** Fires schedule `logicalId` now through the local runtime's control path. */
export const fireSchedule = (logicalId: string) =>
  fetch(`${portico().baseUrl}/_local/schedules/${logicalId}/fire`, { method: 'POST' });

/** The logical id of the schedule whose construct id begins with `prefix` (synthesizes: call it first). */
export function scheduleId(prefix: string): string {
  const schedule = localPlan().schedules.find((s) => s.id.logicalId.startsWith(prefix));
  if (!schedule) throw new Error(`no ${prefix} in the plan`);
  return schedule.id.logicalId;
}
