import { useEffect, useId, useRef, useState } from 'react';
import type { CatalogEntry } from '../../api/portal.ts';
import { Badge } from '../../ui/badges.tsx';
import { Loading } from '../../ui/loading.tsx';
import { ProblemMessage } from '../../ui/problem-message.tsx';
import {
  listSubscriptions,
  listTopics,
  type Subscription,
  type SubscriptionWithSecret,
} from '../api/messages.ts';
import type { AppDetail } from '../api/my-apps.ts';
import { formatDateTime } from '../ui/format.ts';
import { OnceOnlySecrets } from '../ui/once-only-secrets.tsx';
import { useData } from '../ui/use-data.ts';
import { useFocusReturn } from '../ui/use-focus-return.ts';
import { usePaged } from '../ui/use-paged.ts';
import { SUBSCRIPTION_TONES } from './delivery-status.ts';
import { SubscriptionForm } from './subscription-form.tsx';
import { SubscriptionPanel } from './subscription-panel.tsx';

interface Props {
  app: AppDetail;
  catalog: CatalogEntry[];
}

function endpointOf(subscription: Subscription) {
  if (subscription.url) return <code className="dev-url">{subscription.url}</code>;
  return (
    <span className="dev-muted">
      {subscription.mode === 'pull' ? 'pulled by the app' : 'WebSocket stream'}
    </span>
  );
}

/** The app's subscriptions: a new webhook (its secret shown once), and each one's state and deliveries. */
export function SubscriptionsSection({ app, catalog }: Props) {
  const panelId = useId();
  const subscriptions = usePaged(`subscriptions:${app.appId}`, (cursor) =>
    listSubscriptions(app.appId, cursor),
  );
  const topics = useData(`topics:${app.appId}`, () => listTopics(app.appId));
  const [adding, setAdding] = useState(false);
  const [created, setCreated] = useState<SubscriptionWithSecret>();
  const [selectedId, setSelectedId] = useState<string>();
  const [deleted, setDeleted] = useState<Subscription>();
  const addButton = useFocusReturn<HTMLButtonElement>(adding);
  const heading = useRef<HTMLHeadingElement>(null);
  // A deleted subscription leaves the list at once, not when the list is read again.
  const shown = subscriptions.items.filter((entry) => entry.subscriptionId !== deleted?.subscriptionId);
  const selected = shown.find((entry) => entry.subscriptionId === selectedId);
  useEffect(() => {
    if (deleted) heading.current?.focus();
  }, [deleted]);

  return (
    <section aria-labelledby="subscriptions-title" className="dev-section">
      <div className="dev-section-head">
        <h2 id="subscriptions-title" ref={heading} tabIndex={-1}>
          Webhook subscriptions
        </h2>
        {!adding ? (
          <button
            ref={addButton}
            type="button"
            className="button button-primary"
            onClick={() => {
              setCreated(undefined);
              setDeleted(undefined);
              setAdding(true);
            }}
          >
            Add a webhook
          </button>
        ) : null}
      </div>
      <p className="dev-muted">
        For each topic your app subscribes to, Portico sends every message to the subscription’s endpoint,
        signed, and retries until the endpoint answers 2xx.
      </p>
      {adding ? (
        <div className="card dev-card">
          <h3 className="dev-card-title">Add a webhook</h3>
          {topics.resource.status === 'ready' ? (
            <SubscriptionForm
              appId={app.appId}
              appScopes={app.scopes}
              topics={topics.resource.data}
              catalog={catalog}
              onCreated={(subscription) => {
                setAdding(false);
                setCreated(subscription);
                subscriptions.reload();
              }}
              onCancel={() => setAdding(false)}
            />
          ) : topics.resource.status === 'error' ? (
            <ProblemMessage error={topics.resource.error} context="The topics could not be loaded." />
          ) : (
            <Loading label="Loading the topics…" />
          )}
        </div>
      ) : null}
      {created?.secret ? (
        <OnceOnlySecrets
          title={`Subscribed to ${created.topic}`}
          level={3}
          onDone={() => setCreated(undefined)}
          groups={[
            {
              key: created.subscriptionId,
              title: 'Webhook',
              rows: [
                { label: 'Subscription id', value: created.subscriptionId, secret: false },
                { label: 'Signing secret', value: created.secret, secret: true },
              ],
            },
          ]}
        >
          <p>
            Your endpoint checks each delivery’s signature (the webhook-signature header) with this secret.
          </p>
        </OnceOnlySecrets>
      ) : null}
      <p className={deleted ? 'dev-success' : 'visually-hidden'} role="status">
        {deleted ? `The subscription to ${deleted.topic} is deleted.` : ''}
      </p>
      {subscriptions.status === 'error' ? (
        <ProblemMessage error={subscriptions.error} context="The subscriptions could not be loaded." />
      ) : subscriptions.status !== 'ready' ? (
        <Loading label="Loading the subscriptions…" />
      ) : shown.length === 0 ? (
        <p>This app subscribes to no topic yet.</p>
      ) : (
        <div className="dev-table-scroll">
          <table className="dev-table">
            <caption className="visually-hidden">Subscriptions of {app.name}</caption>
            <thead>
              <tr>
                <th scope="col">Topic</th>
                <th scope="col">Endpoint</th>
                <th scope="col">State</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((subscription) => {
                const open = subscription.subscriptionId === selectedId;
                return (
                  <tr key={subscription.subscriptionId} className={open ? 'dev-row-selected' : undefined}>
                    <th scope="row">
                      {subscription.topic}
                      {subscription.description ? (
                        <span className="dev-cell-note">{subscription.description}</span>
                      ) : null}
                    </th>
                    <td>{endpointOf(subscription)}</td>
                    <td>
                      <Badge tone={SUBSCRIPTION_TONES[subscription.state]}>{subscription.state}</Badge>
                      {subscription.failingSince ? (
                        <span className="dev-cell-note">
                          failing since {formatDateTime(subscription.failingSince)}
                        </span>
                      ) : null}
                    </td>
                    <td className="dev-nowrap">{formatDateTime(subscription.createdAt)}</td>
                    <td>
                      <button
                        type="button"
                        className="button button-small"
                        aria-expanded={open}
                        aria-controls={open ? panelId : undefined}
                        aria-label={`Deliveries of the ${subscription.topic} subscription ${subscription.subscriptionId}`}
                        onClick={() => setSelectedId(open ? undefined : subscription.subscriptionId)}
                      >
                        Deliveries
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {subscriptions.hasMore ? (
        <button
          type="button"
          className="button"
          onClick={subscriptions.loadMore}
          disabled={subscriptions.loadingMore}
        >
          {subscriptions.loadingMore ? 'Loading…' : 'Show more subscriptions'}
        </button>
      ) : null}
      {selected ? (
        <SubscriptionPanel
          key={selected.subscriptionId}
          id={panelId}
          appId={app.appId}
          subscription={selected}
          onChanged={subscriptions.reload}
          onDeleted={() => {
            setDeleted(selected);
            setSelectedId(undefined);
            subscriptions.reload();
          }}
        />
      ) : null}
    </section>
  );
}
