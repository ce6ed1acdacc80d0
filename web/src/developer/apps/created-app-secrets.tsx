import { Link } from 'wouter';
import type { CreatedApp, Environment } from '../api/my-apps.ts';
import { OnceOnlySecrets } from '../ui/once-only-secrets.tsx';

const ENVIRONMENTS: Record<Environment, string> = {
  production: 'Production credential',
  sandbox: 'Sandbox credential',
};

/** A new app's credentials, their secrets shown this once. */
export function CreatedAppSecrets({ app, onDone }: { app: CreatedApp; onDone: () => void }) {
  return (
    <OnceOnlySecrets
      title={`${app.name} is created`}
      level={3}
      onDone={onDone}
      groups={app.credentials.map((credential) => ({
        key: credential.clientId,
        title: ENVIRONMENTS[credential.environment],
        rows: [
          { label: 'Client ID', value: credential.clientId, secret: false },
          { label: 'Client secret', value: credential.clientSecret, secret: true },
        ],
      }))}
    >
      <p>
        The production credential calls the live APIs; the sandbox one calls sandboxes and is what the docs’
        try-it uses. Your app has no scopes yet:{' '}
        <Link href={`/${encodeURIComponent(app.appId)}`}>open {app.name}</Link> to request access to an API.
      </p>
    </OnceOnlySecrets>
  );
}
