import { type FormEvent, useState } from 'react';
import { Badge } from '../../ui/badges.tsx';
import { appTokens } from '../api/app-session.ts';
import {
  type AppDetail,
  addCredential,
  type CredentialView,
  type Environment,
  type IssuedCredential,
  type RotatedSecret,
  revokeCredential,
  rotateCredential,
} from '../api/my-apps.ts';
import { ConfirmButton } from '../ui/confirm-button.tsx';
import { FormField } from '../ui/form-field.tsx';
import { FormProblem } from '../ui/form-problem.tsx';
import { formatDateTime } from '../ui/format.ts';
import { OnceOnlySecrets } from '../ui/once-only-secrets.tsx';
import { useAction } from '../ui/use-action.ts';

interface Props {
  app: AppDetail;
  /** The app's credentials changed: read it again. */
  onChanged: () => void;
}

const ENVIRONMENTS = { production: 'Production', sandbox: 'Sandbox' } as const;

function revokeQuestion(credential: CredentialView) {
  return (
    <>
      Revoke <code>{credential.clientId}</code>? The credential is deleted and every token issued to it stops
      working at once. This cannot be undone.
      {credential.environment === 'production'
        ? ' These pages manage the app’s webhooks and read its usage with its production credential too.'
        : ''}
    </>
  );
}

/**
 * The app's credentials: a new secret for one (the old one works a day longer), one revoked, or another
 * added.
 */
export function CredentialsSection({ app, onChanged }: Props) {
  const [rotated, setRotated] = useState<RotatedSecret>();
  const [revoked, setRevoked] = useState<string>();
  const [added, setAdded] = useState<IssuedCredential>();
  const [environment, setEnvironment] = useState<Environment>('production');
  const add = useAction(addCredential);
  const rotate = useAction(rotateCredential);
  const revoke = useAction((appId: string, clientId: string) =>
    revokeCredential(appId, clientId).then(() => true),
  );

  // A revoked credential leaves the table at once, not when the app is read again.
  const credentials = app.credentials.filter((credential) => credential.clientId !== revoked);

  const rotateOne = async (clientId: string) => {
    setRevoked(undefined);
    revoke.reset();
    const secret = await rotate.run(app.appId, clientId);
    if (secret) setRotated(secret);
  };
  const revokeOne = async (clientId: string) => {
    setRotated(undefined);
    rotate.reset();
    if (!(await revoke.run(app.appId, clientId))) return;
    appTokens.forget(app.appId);
    setRevoked(clientId);
    onChanged();
  };

  const addOne = async (event: FormEvent) => {
    event.preventDefault();
    setRotated(undefined);
    setRevoked(undefined);
    const credential = await add.run(app.appId, environment);
    if (!credential) return;
    setAdded(credential);
    onChanged();
  };

  return (
    <section aria-labelledby="credentials-title" className="dev-section">
      <h2 id="credentials-title">Credentials</h2>
      <p className="dev-muted">
        Your app gets tokens with a client ID and secret (OAuth 2.0 client credentials). Secrets are shown
        only when they are made.
      </p>
      {rotated ? (
        <OnceOnlySecrets
          title={`New secret for ${rotated.clientId}`}
          level={3}
          onDone={() => setRotated(undefined)}
          groups={[
            {
              key: rotated.clientId,
              title: rotated.clientId,
              rows: [{ label: 'Client secret', value: rotated.clientSecret, secret: true }],
            },
          ]}
        >
          <p>
            The previous secret keeps working for 24 hours
            {rotated.previousSecretExpiresAt
              ? ` (until ${formatDateTime(rotated.previousSecretExpiresAt)})`
              : ''}
            , so running clients can switch to the new one without downtime.
          </p>
        </OnceOnlySecrets>
      ) : null}
      {added ? (
        <OnceOnlySecrets
          title={`New ${ENVIRONMENTS[added.environment].toLowerCase()} credential`}
          level={3}
          onDone={() => setAdded(undefined)}
          groups={[
            {
              key: added.clientId,
              title: added.clientId,
              rows: [
                { label: 'Client ID', value: added.clientId, secret: false },
                { label: 'Client secret', value: added.clientSecret, secret: true },
              ],
            },
          ]}
        />
      ) : null}
      <p className={revoked ? 'dev-success' : 'visually-hidden'} role="status">
        {revoked ? `Credential ${revoked} revoked: its tokens no longer work.` : ''}
      </p>
      <FormProblem error={rotate.error} context="A new secret could not be made." />
      <FormProblem error={revoke.error} context="The credential could not be revoked." />
      <FormProblem error={add.error} context="The credential could not be added." />
      {credentials.length === 0 ? (
        <p>This app has no credentials left.</p>
      ) : (
        <div className="dev-table-scroll">
          <table className="dev-table">
            <caption className="visually-hidden">Credentials of {app.name}</caption>
            <thead>
              <tr>
                <th scope="col">Client ID</th>
                <th scope="col">Environment</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {credentials.map((credential) => (
                <tr key={credential.clientId}>
                  <th scope="row">
                    <code>{credential.clientId}</code>
                  </th>
                  <td>{ENVIRONMENTS[credential.environment] ?? credential.environment}</td>
                  <td>
                    <Badge tone={credential.status === 'active' ? 'success' : 'neutral'}>
                      {credential.status}
                    </Badge>
                  </td>
                  <td className="dev-nowrap">{formatDateTime(credential.createdAt)}</td>
                  <td>
                    <div className="dev-actions">
                      <button
                        type="button"
                        className="button button-small"
                        aria-label={`New secret for ${credential.clientId}`}
                        disabled={rotate.busy || revoke.busy}
                        onClick={() => rotateOne(credential.clientId)}
                      >
                        New secret
                      </button>
                      <ConfirmButton
                        label={`Revoke ${credential.clientId}`}
                        question={revokeQuestion(credential)}
                        confirmLabel="Revoke the credential"
                        busy={rotate.busy || revoke.busy}
                        onConfirm={() => revokeOne(credential.clientId)}
                      >
                        Revoke
                      </ConfirmButton>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form className="dev-form dev-inline-form" onSubmit={addOne} aria-label="Add a credential">
        <FormField label="Environment of a new credential" required>
          {(control) => (
            <select
              {...control}
              value={environment}
              onChange={(event) => setEnvironment(event.target.value as Environment)}
            >
              <option value="production">Production</option>
              <option value="sandbox">Sandbox</option>
            </select>
          )}
        </FormField>
        <button type="submit" className="button" disabled={add.busy}>
          {add.busy ? 'Adding…' : 'Add a credential'}
        </button>
      </form>
    </section>
  );
}
