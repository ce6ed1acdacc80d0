import { Fragment, useState } from 'react';
import { Badge } from '../../ui/badges.tsx';
import { Loading } from '../../ui/loading.tsx';
import { ProblemMessage } from '../../ui/problem-message.tsx';
import { type Delivery, listDeliveries, replayDelivery, sendTestMessage } from '../api/messages.ts';
import { FormProblem } from '../ui/form-problem.tsx';
import { formatDateTime } from '../ui/format.ts';
import { useAction } from '../ui/use-action.ts';
import { usePaged } from '../ui/use-paged.ts';
import { DeliveryAttempts } from './delivery-attempts.tsx';
import { canReplay, DELIVERY_TONES } from './delivery-status.ts';
import { RecoverForm } from './recover-form.tsx';

const when = (delivery: Delivery) =>
  delivery.status === 'Sent'
    ? `sent ${formatDateTime(delivery.sentAt)}`
    : delivery.status === 'Failed'
      ? `gave up ${formatDateTime(delivery.failedAt)}`
      : delivery.nextAttemptAt
        ? `next try ${formatDateTime(delivery.nextAttemptAt)}`
        : '';

interface Props {
  appId: string;
  subscriptionId: string;
  /** Whether a test message can be sent (the subscription is active). */
  canTest: boolean;
}

/**
 * A subscription's deliveries, newest first, each with its attempts; a test message; sending one or
 * every failed one again.
 */
export function DeliveriesList({ appId, subscriptionId, canTest }: Props) {
  const deliveries = usePaged(`deliveries:${subscriptionId}`, (cursor) =>
    listDeliveries(appId, subscriptionId, cursor),
  );
  const [openId, setOpenId] = useState<string>();
  const [said, setSaid] = useState('');
  const replay = useAction(replayDelivery);
  const test = useAction(sendTestMessage);

  const sendTest = async () => {
    setSaid('');
    const sent = await test.run(appId, subscriptionId);
    if (sent) {
      setSaid(`A test message is on its way: delivery ${sent.deliveryId}. Refresh to see its attempts.`);
      deliveries.reload();
    }
  };

  const replayOne = async (deliveryId: string) => {
    setSaid('');
    if (await replay.run(appId, deliveryId)) {
      setSaid(`Delivery ${deliveryId} is queued to be sent again.`);
      deliveries.reload();
    }
  };

  return (
    <div className="dev-deliveries">
      <div className="dev-section-head">
        <h4>Deliveries</h4>
        <div className="dev-actions">
          {canTest ? (
            <button type="button" className="button button-small" disabled={test.busy} onClick={sendTest}>
              {test.busy ? 'Sending…' : 'Send a test message'}
            </button>
          ) : null}
          <button type="button" className="button button-small" onClick={deliveries.reload}>
            Refresh
          </button>
        </div>
      </div>
      <p className={said ? 'dev-success' : 'visually-hidden'} role="status">
        {said}
      </p>
      <FormProblem error={replay.error} context="The delivery could not be sent again." />
      <FormProblem error={test.error} context="The test message could not be sent." />
      {deliveries.status === 'error' ? (
        <ProblemMessage error={deliveries.error} context="The deliveries could not be loaded." />
      ) : deliveries.status !== 'ready' ? (
        <Loading label="Loading the deliveries…" />
      ) : deliveries.items.length === 0 ? (
        <p>No message of this topic was delivered yet.</p>
      ) : (
        <div className="dev-table-scroll">
          <table className="dev-table">
            <caption className="visually-hidden">Deliveries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Created</th>
                <th scope="col">Status</th>
                <th scope="col" className="dev-numeric">
                  Attempts
                </th>
                <th scope="col">Last error</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {deliveries.items.map((delivery) => {
                const open = openId === delivery.deliveryId;
                const attemptsId = `attempts-${delivery.deliveryId}`;
                return (
                  <Fragment key={delivery.deliveryId}>
                    <tr>
                      <th scope="row" className="dev-nowrap">
                        {formatDateTime(delivery.createdAt)}
                        <span className="dev-cell-note">
                          <code>{delivery.deliveryId}</code>
                        </span>
                      </th>
                      <td>
                        <Badge tone={DELIVERY_TONES[delivery.status]}>{delivery.status}</Badge>
                        <span className="dev-cell-note">{when(delivery)}</span>
                      </td>
                      <td className="dev-numeric">{delivery.attempts}</td>
                      <td>{delivery.lastError ?? '–'}</td>
                      <td>
                        <div className="dev-actions">
                          <button
                            type="button"
                            className="button button-small"
                            aria-expanded={open}
                            aria-controls={open ? attemptsId : undefined}
                            aria-label={`Attempts of delivery ${delivery.deliveryId}`}
                            onClick={() => setOpenId(open ? undefined : delivery.deliveryId)}
                          >
                            Attempts
                          </button>
                          {canReplay(delivery.status) ? (
                            <button
                              type="button"
                              className="button button-small"
                              aria-label={`Replay delivery ${delivery.deliveryId}`}
                              disabled={replay.busy}
                              onClick={() => replayOne(delivery.deliveryId)}
                            >
                              Replay
                            </button>
                          ) : null}
                        </div>
                      </td>
                    </tr>
                    {open ? (
                      <tr id={attemptsId} className="dev-subrow">
                        <td colSpan={5}>
                          <DeliveryAttempts appId={appId} deliveryId={delivery.deliveryId} />
                        </td>
                      </tr>
                    ) : null}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {deliveries.hasMore ? (
        <button
          type="button"
          className="button"
          onClick={deliveries.loadMore}
          disabled={deliveries.loadingMore}
        >
          {deliveries.loadingMore ? 'Loading older deliveries…' : 'Show older deliveries'}
        </button>
      ) : null}
      {deliveries.status === 'ready' && deliveries.error ? (
        <ProblemMessage error={deliveries.error} context="Older deliveries could not be loaded." />
      ) : null}
      <h4>Recover failed deliveries</h4>
      <RecoverForm appId={appId} subscriptionId={subscriptionId} onRecovered={deliveries.reload} />
    </div>
  );
}
