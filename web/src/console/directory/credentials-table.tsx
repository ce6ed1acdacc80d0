import { Badge } from '../../ui/badges.tsx';
import type { CredentialSummary } from '../api/directory.ts';
import { formatDateTime } from '../ui/format.ts';
import { TableScroll } from '../ui/table-scroll.tsx';

/** An app's credentials: client ids and secret versions, never a secret. */
export function CredentialsTable({ credentials }: { credentials: CredentialSummary[] }) {
  if (credentials.length === 0) return <p>This app has no credentials.</p>;
  return (
    <TableScroll label="Credentials">
      <table className="data-table">
        <caption className="visually-hidden">Credentials</caption>
        <thead>
          <tr>
            <th scope="col">Client id</th>
            <th scope="col">Environment</th>
            <th scope="col">Status</th>
            <th scope="col">Created</th>
            <th scope="col">Secret versions</th>
          </tr>
        </thead>
        <tbody>
          {credentials.map((credential) => (
            <tr key={credential.clientId}>
              <th scope="row">
                <code>{credential.clientId}</code>
              </th>
              <td>
                <Badge tone={credential.environment === 'production' ? 'info' : 'neutral'}>
                  {credential.environment}
                </Badge>
              </td>
              <td>
                <Badge tone={credential.status === 'active' ? 'success' : 'neutral'}>
                  {credential.status}
                </Badge>
              </td>
              <td className="nowrap">{formatDateTime(credential.createdAt)}</td>
              <td>
                {credential.secrets.length === 0 ? (
                  'None (a public client)'
                ) : (
                  <ul className="plain-list">
                    {credential.secrets.map((secret, index) => (
                      <li key={secret.id}>
                        <code>{secret.id}</code> {index === 0 ? 'current' : 'previous'}, created{' '}
                        {formatDateTime(secret.createdAt)}
                        {secret.expiresAt ? `, stops working ${formatDateTime(secret.expiresAt)}` : ''}
                      </li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
