import type { PartnerDetails } from '../api/partners.ts';
import { formatDateTime } from '../ui/format.ts';
import { StandingBadge } from './standing-badge.tsx';

/** Where the partner stands now: state, share of calls admitted, and how polling its notices goes. */
export function PartnerStateSection({ partner }: { partner: PartnerDetails }) {
  const { health, polling } = partner;
  return (
    <section aria-labelledby="partner-state" className="card">
      <h2 id="partner-state" className="h-card">
        State
      </h2>
      <dl className="facts">
        <div>
          <dt>Standing</dt>
          <dd>
            <StandingBadge health={health} />
          </dd>
        </div>
        <div>
          <dt>Detection phase</dt>
          <dd>{health?.phase ?? 'unknown'}</dd>
        </div>
        <div>
          <dt>Calls admitted</dt>
          <dd>{health ? `${health.admittedPercent} %` : '–'}</dd>
        </div>
        <div>
          <dt>Notices in force</dt>
          <dd>{health?.notices.length ?? '–'}</dd>
        </div>
        <div>
          <dt>As of</dt>
          <dd>{health ? formatDateTime(health.asOf) : '–'}</dd>
        </div>
        {polling ? (
          <div>
            <dt>Notice polling</dt>
            <dd>
              {polling.consecutiveFailures === 0
                ? `OK${polling.lastSuccessAt ? `, last ${formatDateTime(new Date(polling.lastSuccessAt).toISOString())}` : ''}`
                : `${polling.consecutiveFailures} failed in a row${polling.lastFailure ? `: ${polling.lastFailure.detail}` : ''}`}
            </dd>
          </div>
        ) : null}
      </dl>
      {health?.degraded ? (
        <p className="note">
          The state could not be read in time: this is the last known state or the default.
        </p>
      ) : null}
    </section>
  );
}
