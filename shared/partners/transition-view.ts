import type { PartnerTransition } from './ports.ts';

/** A transition as the outside sees it, on the `portico.partner-health` topic and in the console. */
export const transitionView = (t: PartnerTransition) => ({
  partnerId: t.partnerId,
  from: t.from,
  to: t.to,
  event: t.event,
  admittedPercent: t.admittedPercent,
  at: new Date(t.at).toISOString(),
  reason: t.reason,
});
