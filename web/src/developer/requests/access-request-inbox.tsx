import { Loading } from '../../ui/loading.tsx';
import { ProblemMessage } from '../../ui/problem-message.tsx';
import { AccessRequestTable } from './access-request-table.tsx';
import { pendingCount, requestsOfApp } from './access-requests.ts';
import type { AccessRequests } from './use-access-requests.ts';

interface Props {
  requests: AccessRequests;
  /** Only this app's requests; every app's when absent. */
  appId?: string;
  emptyText: string;
}

/** The developer's access requests (or one app's), with paging. */
export function AccessRequestInbox({ requests, appId, emptyText }: Props) {
  if (requests.status === 'error')
    return <ProblemMessage error={requests.error} context="The access requests could not be loaded." />;
  if (requests.status !== 'ready') return <Loading label="Loading access requests…" />;
  const shown = appId ? requestsOfApp(requests.items, appId) : requests.items;
  const pending = pendingCount(shown);
  return (
    <>
      {shown.length === 0 ? (
        <p>{emptyText}</p>
      ) : (
        <>
          <p className="dev-small">
            {pending === 0
              ? 'No request waits for a decision.'
              : `${pending} ${pending === 1 ? 'request waits' : 'requests wait'} for an operator’s decision.`}
          </p>
          <AccessRequestTable
            requests={shown}
            caption={appId ? 'This app’s access requests' : 'Your access requests'}
            showApp={!appId}
          />
        </>
      )}
      {requests.hasMore ? (
        <button type="button" className="button" onClick={requests.loadMore} disabled={requests.loadingMore}>
          {requests.loadingMore ? 'Loading older requests…' : 'Show older requests'}
        </button>
      ) : null}
      {requests.error && requests.status === 'ready' ? (
        <ProblemMessage error={requests.error} context="Older requests could not be loaded." />
      ) : null}
    </>
  );
}
