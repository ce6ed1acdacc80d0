import { REPO_ROOT } from '../../infra/constructs/portico-function.ts';
import { type LocalPlan, planLocal } from '../../local/plan.ts';
import { synthStacks } from '../../local/synth.ts';
import { portico } from './platform.ts';

/** What the local runtime runs, planned from the synthesized CDK app (takes seconds). */
export const localPlan = (): LocalPlan => planLocal(synthStacks(), REPO_ROOT);

/** Fires schedule `logicalId` now through the local runtime's control path. */
export const fireSchedule = (logicalId: string) =>
  fetch(`${portico().baseUrl}/_local/schedules/${logicalId}/fire`, { method: 'POST' });
