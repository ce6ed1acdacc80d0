import { Link } from 'wouter';
import { fetchPartner, fetchPartners, type Partner, type PartnerHealth } from '../api/partners.ts';
import { LoadView } from '../ui/load-view.tsx';
import { RefreshButton } from '../ui/refresh-button.tsx';
import { TableScroll } from '../ui/table-scroll.tsx';
import { useLoad } from '../ui/use-load.ts';
import { StandingBadge } from './standing-badge.tsx';

interface PartnerWithHealth {
  partner: Partner;
  health: PartnerHealth | undefined;
}

/**
 * The partners with their health. The listing carries no health, so each partner's own page is read
 * for it; a partner whose health cannot be read is shown as unknown rather than failing the list.
 */
async function fetchPartnersWithHealth(): Promise<PartnerWithHealth[]> {
  const partners = await fetchPartners();
  return Promise.all(
    partners.map(async (partner) => ({
      partner,
      health: await fetchPartner(partner.partnerId).then(
        (details) => details.health,
        () => undefined,
      ),
    })),
  );
}

function PartnersTable({ rows }: { rows: PartnerWithHealth[] }) {
  if (rows.length === 0) return <p>No partner is defined yet.</p>;
  return (
    <TableScroll label="Partners and their health">
      <table className="data-table">
        <caption className="visually-hidden">Partners and their health</caption>
        <thead>
          <tr>
            <th scope="col">Partner</th>
            <th scope="col">State</th>
            <th scope="col" className="numeric">
              Calls admitted
            </th>
            <th scope="col" className="numeric">
              Notices in force
            </th>
            <th scope="col" className="numeric">
              Rank
            </th>
          </tr>
        </thead>
        <tbody>
          {[...rows]
            .sort((a, b) => a.partner.rank - b.partner.rank || a.partner.name.localeCompare(b.partner.name))
            .map(({ partner, health }) => (
              <tr key={partner.partnerId}>
                <th scope="row">
                  <Link href={`/partners/${encodeURIComponent(partner.partnerId)}`}>{partner.name}</Link>
                  <span className="cell-note">
                    <code>{partner.partnerId}</code>
                  </span>
                </th>
                <td>
                  <StandingBadge health={health} />
                  {health?.degraded ? <span className="cell-note">last known state</span> : null}
                </td>
                <td className="numeric">{health ? `${health.admittedPercent} %` : '–'}</td>
                <td className="numeric">{health ? health.notices.length : '–'}</td>
                <td className="numeric">{partner.rank}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

export function PartnersPage() {
  const partners = useLoad('partners', fetchPartnersWithHealth);
  return (
    <>
      <title>Partners · Console · Portico developers</title>
      <div className="console-heading">
        <h1>Partners</h1>
        <RefreshButton refreshing={partners.refreshing} onRefresh={partners.reload} />
      </div>
      <p className="lead">The suppliers behind APIs, and whether calls to them are let through now.</p>
      <LoadView
        state={partners.state}
        loading="Loading the partners…"
        failure="The partners could not be loaded."
      >
        {(rows) => <PartnersTable rows={rows} />}
      </LoadView>
    </>
  );
}
