import { Badge } from '../../ui/badges.tsx';
import type { PartnerDetails } from '../api/partners.ts';
import { formatCount, formatDuration } from '../ui/format.ts';
import { TableScroll } from '../ui/table-scroll.tsx';
import { currentRampStep } from './partner-state.ts';

/** The steps a recovering partner is let back through, the current one marked. */
export function RampTable({ partner }: { partner: PartnerDetails }) {
  const ramp = partner.policy.ramp ?? [];
  const current = currentRampStep(ramp, partner.health);
  return (
    <section aria-labelledby="partner-ramp">
      <h2 id="partner-ramp">Ramp</h2>
      <p className="muted">
        After {partner.policy.probesToRamp} passing probes, a partner gets these shares of calls in turn.
      </p>
      <TableScroll label="Ramp steps">
        <table className="data-table">
          <caption className="visually-hidden">Ramp steps</caption>
          <thead>
            <tr>
              <th scope="col">Step</th>
              <th scope="col" className="numeric">
                Calls admitted
              </th>
              <th scope="col" className="numeric">
                At least
              </th>
              <th scope="col" className="numeric">
                And calls
              </th>
              <th scope="col" className="numeric">
                At most
              </th>
            </tr>
          </thead>
          <tbody>
            {ramp.map((step, index) => (
              <tr key={step.percent} aria-current={index === current ? 'step' : undefined}>
                <th scope="row">
                  {index + 1} {index === current ? <Badge tone="warning">Current</Badge> : null}
                </th>
                <td className="numeric">{step.percent} %</td>
                <td className="numeric">{formatDuration(step.minDurationMs)}</td>
                <td className="numeric">{formatCount(step.minCalls)}</td>
                <td className="numeric">
                  {step.maxDurationMs !== undefined ? formatDuration(step.maxDurationMs) : '–'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </section>
  );
}
