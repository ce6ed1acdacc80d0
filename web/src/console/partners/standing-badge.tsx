import { Badge } from '../../ui/badges.tsx';
import type { PartnerHealth } from '../api/partners.ts';
import { STANDING_LABEL, STANDING_TONE } from './partner-state.ts';

/** A partner's standing now; unknown when its health could not be read. */
export function StandingBadge({ health }: { health: PartnerHealth | undefined }) {
  if (!health) return <Badge>Unknown</Badge>;
  return <Badge tone={STANDING_TONE[health.standing]}>{STANDING_LABEL[health.standing]}</Badge>;
}
