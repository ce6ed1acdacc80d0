import { useEffect, useRef, useState } from 'react';
import { Badge } from '../../ui/badges.tsx';
import {
  deleteSubscription,
  rotateSubscriptionSecret,
  type Subscription,
  type SubscriptionWithSecret,
  setSubscriptionState,
} from '../api/messages.ts';
import { ConfirmButton } from '../ui/confirm-button.tsx';
import { FormProblem } from '../ui/form-problem.tsx';
import { formatDateTime } from '../ui/format.ts';
import { OnceOnlySecrets } from '../ui/once-only-secrets.tsx';
import { useAction } from '../ui/use-action.ts';
import { DeliveriesList } from './deliveries-list.tsx';
import { SUBSCRIPTION_TONES } from './delivery-status.ts';

interface Props {
  id: string;
  appId: string;
  subscription: Subscription;
  onChanged: () => void;
  onDeleted: () => void;
}

/** One subscription: its settings, pausing and resuming it, a new signing secret, and its deliveries. */
export function SubscriptionPanel({ id, appId, subscription, onChanged, onDeleted }: Props) {
  const heading = useRef<HTMLHeadingElement>(null);
  const [rotated, setRotated] = useState<SubscriptionWithSecret>();
  const [said, setSaid] = useState('');
  const setState = useAction(setSubscriptionState);
  const rotate = useAction(rotateSubscriptionSecret);
  const remove = useAction((app: string, subscriptionId: string) =>
    deleteSubscription(app, subscriptionId).then(() => true),
  );
  const busy = setState.busy || rotate.busy || remove.busy;
  const { subscriptionId, state } = subscription;
  useEffect(() => {
    heading.current?.focus();
  }, []);

  const changeState = async (next: 'active' | 'paused') => {
    setSaid('');
    const answer = await setState.run(appId, subscriptionId, next);
    if (!answer) return;
    const moved = answer.released?.moved ?? 0;
    setSaid(
      next === 'paused'
        ? 'Paused: new deliveries are held until you resume.'
        : `Resumed${moved > 0 ? `: ${moved} held ${moved === 1 ? 'delivery is' : 'deliveries are'} being sent` : ''}.`,
    );
    onChanged();
  };
  const newSecret = async () => {
    setSaid('');
    const answer = await rotate.run(appId, subscriptionId);
    if (answer) {
      setRotated(answer);
      onChanged();
    }
  };
  const deleteIt = async () => {
    if (await remove.run(appId, subscriptionId)) onDeleted();
  };

  return (
    <section id={id} className="card dev-card dev-panel" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} ref={heading} tabIndex={-1} className="dev-card-title">
        Subscription to {subscription.topic}
      </h3>
      <dl className="dev-facts">
        <div>
          <dt>Subscription id</dt>
          <dd>
            <code>{subscriptionId}</code>
          </dd>
        </div>
        <div>
          <dt>State</dt>
          <dd>
            <Badge tone={SUBSCRIPTION_TONES[state]}>{state}</Badge>
          </dd>
        </div>
        {subscription.url ? (
          <div className="dev-fact-wide">
            <dt>Endpoint</dt>
            <dd>
              <code className="dev-url">{subscription.url}</code>
            </dd>
          </div>
        ) : null}
        <div>
          <dt>Signing secrets</dt>
          <dd>
            {subscription.signingSecrets.length === 0
              ? 'none'
              : subscription.signingSecrets
                  .map((secret) =>
                    secret.expiresAt
                      ? `one until ${formatDateTime(secret.expiresAt)}`
                      : `one made ${formatDateTime(secret.createdAt)}`,
                  )
                  .join('; ')}
          </dd>
        </div>
      </dl>
      {state === 'disabled' ? (
        <p className="note">
          Portico disabled this subscription after its endpoint failed for days. Fix the endpoint, then
          resume: the deliveries held meanwhile are sent.
        </p>
      ) : null}
      <div className="dev-actions">
        {state === 'active' ? (
          <button
            type="button"
            className="button button-small"
            disabled={busy}
            onClick={() => changeState('paused')}
          >
            Pause
          </button>
        ) : (
          <button
            type="button"
            className="button button-small"
            disabled={busy}
            onClick={() => changeState('active')}
          >
            Resume
          </button>
        )}
        {subscription.mode === 'webhook' ? (
          <button type="button" className="button button-small" disabled={busy} onClick={newSecret}>
            New signing secret
          </button>
        ) : null}
        <ConfirmButton
          label={`Delete the ${subscription.topic} subscription`}
          question={`Delete this subscription? Messages of ${subscription.topic} stop reaching the endpoint at once; deliveries made so far stay readable until they expire.`}
          confirmLabel="Delete the subscription"
          busy={busy}
          onConfirm={deleteIt}
        >
          Delete
        </ConfirmButton>
      </div>
      <p className={said ? 'dev-success' : 'visually-hidden'} role="status">
        {said}
      </p>
      <FormProblem error={setState.error} context="The subscription could not be changed." />
      <FormProblem error={rotate.error} context="A new signing secret could not be made." />
      <FormProblem error={remove.error} context="The subscription could not be deleted." />
      {rotated?.secret ? (
        <OnceOnlySecrets
          title="New signing secret"
          level={3}
          onDone={() => setRotated(undefined)}
          groups={[
            {
              key: subscriptionId,
              title: subscription.topic,
              rows: [{ label: 'Signing secret', value: rotated.secret, secret: true }],
            },
          ]}
        >
          <p>
            Deliveries are signed with both secrets
            {rotated.previousSecretExpiresAt
              ? ` until ${formatDateTime(rotated.previousSecretExpiresAt)}`
              : ' for a day'}
            , so your endpoint can switch without rejecting any.
          </p>
        </OnceOnlySecrets>
      ) : null}
      <DeliveriesList appId={appId} subscriptionId={subscriptionId} canTest={state === 'active'} />
    </section>
  );
}
