import { Badge } from '../../ui/badges.tsx';
import { fetchAppTokens } from '../api/directory.ts';
import { formatRecent, isoOfEpochSeconds } from '../ui/format.ts';
import { LoadView } from '../ui/load-view.tsx';
import { Pager } from '../ui/pager.tsx';
import { TableScroll } from '../ui/table-scroll.tsx';
import { usePaged } from '../ui/use-paged.ts';
import { tokenStatus } from './token-status.ts';

const TONE = { active: 'success', expired: 'neutral', revoked: 'danger', 'used up': 'neutral' } as const;

/** The access tokens issued to an app (records only: the platform never keeps a token itself). */
export function TokensSection({ appId }: { appId: string }) {
  const page = usePaged(`tokens:${appId}`, (request) => fetchAppTokens(appId, request));
  const now = Date.now();
  return (
    <section aria-labelledby="app-tokens">
      <h2 id="app-tokens">Access tokens</h2>
      <LoadView state={page.state} loading="Loading the tokens…" failure="The tokens could not be loaded.">
        {(found) =>
          found.items.length === 0 ? (
            <p>No tokens that have not yet expired.</p>
          ) : (
            <TableScroll label="Access tokens">
              <table className="data-table">
                <caption className="visually-hidden">Access tokens</caption>
                <thead>
                  <tr>
                    <th scope="col">Token id</th>
                    <th scope="col">Client id</th>
                    <th scope="col">Subject</th>
                    <th scope="col">Grant</th>
                    <th scope="col">Scope</th>
                    <th scope="col">Issued</th>
                    <th scope="col">Expires</th>
                    <th scope="col">Status</th>
                  </tr>
                </thead>
                <tbody>
                  {found.items.map((token) => {
                    const status = tokenStatus(token, now);
                    return (
                      <tr key={token.jti}>
                        <th scope="row">
                          <code>{token.jti}</code>
                        </th>
                        <td>
                          <code>{token.clientId}</code>
                        </td>
                        <td>{token.subject === appId ? 'The app' : <code>{token.subject}</code>}</td>
                        <td>{token.grant.replace(/_/g, ' ')}</td>
                        <td>{token.scope || '–'}</td>
                        <td className="nowrap">{formatRecent(isoOfEpochSeconds(token.issuedAt))}</td>
                        <td className="nowrap">{formatRecent(isoOfEpochSeconds(token.expiresAt))}</td>
                        <td>
                          <Badge tone={TONE[status]}>{status}</Badge>
                          {token.maxUses !== undefined ? (
                            <span className="cell-note">
                              {token.uses ?? 0} of {token.maxUses} uses
                            </span>
                          ) : null}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </TableScroll>
          )
        }
      </LoadView>
      <Pager what="tokens" paged={page} />
    </section>
  );
}
