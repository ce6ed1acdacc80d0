import { StatusCode } from '../../ui/badges.tsx';
import { Loading } from '../../ui/loading.tsx';
import { ProblemMessage } from '../../ui/problem-message.tsx';
import { getDelivery } from '../api/messages.ts';
import { formatDateTime, formatMs } from '../ui/format.ts';
import { useData } from '../ui/use-data.ts';
import { attemptOutcome } from './delivery-status.ts';

/** Every attempt at one delivery: when, what the endpoint answered, how long it took, what went wrong. */
export function DeliveryAttempts({ appId, deliveryId }: { appId: string; deliveryId: string }) {
  const delivery = useData(`delivery:${deliveryId}`, () => getDelivery(appId, deliveryId));
  if (delivery.resource.status === 'error')
    return <ProblemMessage error={delivery.resource.error} context="The attempts could not be loaded." />;
  if (delivery.resource.status !== 'ready') return <Loading label="Loading the attempts…" />;
  const { attemptLog, messageId } = delivery.resource.data;
  return (
    <div className="dev-attempts">
      <p className="dev-small">
        Message <code>{messageId}</code>
      </p>
      {attemptLog.length === 0 ? (
        <p>No attempt yet.</p>
      ) : (
        <table className="dev-table">
          <caption className="visually-hidden">Attempts of delivery {deliveryId}</caption>
          <thead>
            <tr>
              <th scope="col">Attempt</th>
              <th scope="col">Time</th>
              <th scope="col">Status code</th>
              <th scope="col" className="dev-numeric">
                Latency
              </th>
              <th scope="col">Outcome</th>
            </tr>
          </thead>
          <tbody>
            {attemptLog.map((attempt) => (
              <tr key={attempt.attempt}>
                <th scope="row">{attempt.attempt}</th>
                <td className="dev-nowrap">{formatDateTime(attempt.at)}</td>
                <td>{attempt.status !== undefined ? <StatusCode status={attempt.status} /> : '–'}</td>
                <td className="dev-numeric">{formatMs(attempt.latencyMs)}</td>
                <td>
                  {attemptOutcome(attempt)}
                  {attempt.responseExcerpt ? (
                    <details className="dev-excerpt">
                      <summary>Response</summary>
                      <pre>{attempt.responseExcerpt}</pre>
                    </details>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
