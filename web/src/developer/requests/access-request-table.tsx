import { Badge } from '../../ui/badges.tsx';
import { describePlan } from '../../ui/rate-limit-plan.ts';
import type { AccessRequest } from '../api/my-apps.ts';
import { formatDateTime } from '../ui/format.ts';
import { REQUEST_LABELS, REQUEST_TONES } from './access-requests.ts';

interface Props {
  requests: AccessRequest[];
  caption: string;
  /** The inbox lists every app's requests; an app's page only its own. */
  showApp: boolean;
}

/** Access requests: what each asks for (scopes, a plan), its status and the operator's decision. */
export function AccessRequestTable({ requests, caption, showApp }: Props) {
  return (
    <div className="dev-table-scroll">
      <table className="dev-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">API</th>
            {showApp ? <th scope="col">App</th> : null}
            <th scope="col">Asks for</th>
            <th scope="col">Status</th>
            <th scope="col">Requested</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {requests.map((request) => {
            const plan = describePlan(request.rateLimits);
            return (
              <tr key={request.requestId}>
                <th scope="row">{request.apiName}</th>
                {showApp ? <td>{request.appName}</td> : null}
                <td>
                  {request.scopes.map((scope) => (
                    <code key={scope} className="scope dev-scope">
                      {scope}
                    </code>
                  ))}
                  {plan ? <span className="dev-cell-note">Rate-limit plan: {plan}</span> : null}
                  {request.scopes.length === 0 && !plan ? '–' : null}
                </td>
                <td>
                  <Badge tone={REQUEST_TONES[request.status]}>{REQUEST_LABELS[request.status]}</Badge>
                </td>
                <td className="dev-nowrap">{formatDateTime(request.createdAt)}</td>
                <td>
                  {request.decidedAt ? (
                    <span className="dev-nowrap">Decided {formatDateTime(request.decidedAt)}</span>
                  ) : null}
                  {request.reason ? <span className="dev-cell-note">Reason: {request.reason}</span> : null}
                  {request.note ? <span className="dev-cell-note">Your note: {request.note}</span> : null}
                  {!request.decidedAt && !request.reason && !request.note ? '–' : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
