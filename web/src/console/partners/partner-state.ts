import type { PartnerHealth, RampStep, Standing } from '../api/partners.ts';

export const STANDING_TONE: Record<Standing, 'success' | 'warning' | 'danger'> = {
  healthy: 'success',
  ramping: 'warning',
  unhealthy: 'danger',
};

export const STANDING_LABEL: Record<Standing, string> = {
  healthy: 'Healthy',
  ramping: 'Ramping up',
  unhealthy: 'Unhealthy',
};

/**
 * The ramp step a recovering partner is on: the step whose share is the share admitted now. Undefined
 * unless automatic detection is ramping (a notice in force admits nothing, whatever the ramp says).
 */
export function currentRampStep(
  ramp: readonly RampStep[],
  health: PartnerHealth | undefined,
): number | undefined {
  if (health?.phase !== 'ramping' || health.standing !== 'ramping') return undefined;
  const index = ramp.findIndex((step) => step.percent >= health.admittedPercent);
  return index === -1 ? undefined : index;
}
