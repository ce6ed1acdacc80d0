import { Link } from 'wouter';
import { Badge } from '../../ui/badges.tsx';
import { type ApiDefinition, fetchApis } from '../api/apis.ts';
import { useRoleAllows } from '../console-role.tsx';
import { formatDateTime } from '../ui/format.ts';
import { LoadView } from '../ui/load-view.tsx';
import { TableScroll } from '../ui/table-scroll.tsx';
import { useLoad } from '../ui/use-load.ts';

const STATUS_TONE = {
  draft: 'neutral',
  published: 'success',
  deprecated: 'warning',
  retired: 'danger',
} as const;

/** The kinds of an API's upstreams, in words: "HTTP ×2, Lambda". */
function upstreamKinds(api: ApiDefinition): string {
  const kinds = (api.upstreams ?? []).map((u) =>
    'url' in u ? 'HTTP' : 'lambda' in u ? 'Lambda' : 'queue' in u ? 'SQS' : 'EventBridge',
  );
  const counts = new Map<string, number>();
  for (const kind of kinds) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return [...counts].map(([kind, n]) => (n > 1 ? `${kind} ×${n}` : kind)).join(', ') || '–';
}

function ApisTable({ apis }: { apis: ApiDefinition[] }) {
  if (apis.length === 0) return <p>No API is registered yet.</p>;
  return (
    <TableScroll label="Registered APIs">
      <table className="data-table">
        <caption className="visually-hidden">Registered APIs</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Version</th>
            <th scope="col">Status</th>
            <th scope="col">Upstreams</th>
            <th scope="col">Mock</th>
            <th scope="col">Revision</th>
            <th scope="col">Updated</th>
          </tr>
        </thead>
        <tbody>
          {[...apis]
            .sort((a, b) => a.name.localeCompare(b.name))
            .map((api) => {
              const status = api.lifecycle?.status ?? 'published';
              return (
                <tr key={api.name}>
                  <th scope="row">
                    <Link href={`/apis/${encodeURIComponent(api.name)}`}>{api.name}</Link>
                    {api.description ? <span className="cell-note">{api.description}</span> : null}
                  </th>
                  <td>{api.version ?? '1'}</td>
                  <td>
                    <Badge tone={STATUS_TONE[status]}>{status}</Badge>
                  </td>
                  <td>{upstreamKinds(api)}</td>
                  <td>{api.mock?.enabled ? 'On' : 'Off'}</td>
                  <td>{api.revision ?? '–'}</td>
                  <td>{api.updatedAt ? formatDateTime(api.updatedAt) : '–'}</td>
                </tr>
              );
            })}
        </tbody>
      </table>
    </TableScroll>
  );
}

export function ApisPage() {
  const apis = useLoad('apis', fetchApis);
  const canEdit = useRoleAllows('operator');
  return (
    <>
      <title>APIs · Console · Portico developers</title>
      <div className="console-heading">
        <h1>APIs</h1>
        {canEdit ? (
          <Link href="/apis/new" className="button button-primary">
            New API
          </Link>
        ) : null}
      </div>
      <p className="lead">Every API registered with the gateway, whatever its lifecycle state.</p>
      <LoadView state={apis.state} loading="Loading the APIs…" failure="The APIs could not be loaded.">
        {(items) => <ApisTable apis={items} />}
      </LoadView>
    </>
  );
}
