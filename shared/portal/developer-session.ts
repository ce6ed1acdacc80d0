import type { Developer } from '../console/developers.ts';
import { roleOf } from '../console/roles.ts';
import type { App, StoredCredential } from '../identity/model.ts';
import type { User } from '../identity/users.ts';
import { DomainError } from '../kernel/errors.ts';
import { PORTAL_SCOPE } from '../kernel/scopes.ts';

/** A person signed in to the web app, as the portal's own routes see them. */
export interface PortalSession {
  user: User;
  consoleRole?: ReturnType<typeof roleOf>;
}

/** What `GET /v1/me` answers: who is signed in, as which developer and with which console role. */
export interface Me {
  userId: string;
  username: string;
  displayName: string;
  consoleRole?: NonNullable<PortalSession['consoleRole']>;
  developerId?: string;
  /** The developer account's state: `pending` until an operator approves a sign-up. */
  developerStatus?: Developer['status'];
}

/**
 * The session of a web-app token: only a token the web app got for a signed-in person (portal scope, a
 * production token, the subject still a known user) reaches the portal's own routes.
 */
export function portalSession(
  token: { scopes: string[]; sandbox?: boolean },
  user: User | undefined,
): PortalSession {
  if (token.sandbox || !token.scopes.includes(PORTAL_SCOPE)) {
    throw new DomainError(
      'forbidden',
      'These routes are for people signed in to the Portico web app.',
      undefined,
      {
        challenge: `Bearer realm="portico", error="insufficient_scope", scope="${PORTAL_SCOPE}"`,
      },
    );
  }
  if (!user) throw new DomainError('invalid-token', 'The account this session belongs to no longer exists.');
  const consoleRole = roleOf(token.scopes);
  return { user, ...(consoleRole ? { consoleRole } : {}) };
}

export const meOf = ({ user, consoleRole }: PortalSession, developer?: Pick<Developer, 'status'>): Me => ({
  userId: user.userId,
  username: user.username,
  displayName: user.displayName,
  ...(consoleRole ? { consoleRole } : {}),
  ...(user.developerId ? { developerId: user.developerId } : {}),
  ...(user.developerId && developer ? { developerStatus: developer.status } : {}),
});

/** The signed-in person's developer account, or 403 when they act for none. */
export function developerIdOf(session: PortalSession): string {
  const id = session.user.developerId;
  if (!id) throw new DomainError('forbidden', 'This account is not linked to a developer account.');
  return id;
}

/** The app when it belongs to the session's developer; another developer's app is not found, not forbidden. */
export function ownApp(session: PortalSession, app: App | undefined): App {
  if (!app || app.developerId !== developerIdOf(session)) throw new DomainError('not-found', 'No such app.');
  return app;
}

/** What the portal shows of an app: never credentials or secrets. */
export const appSummary = (app: App) => ({
  appId: app.appId,
  name: app.name,
  ...(app.description ? { description: app.description } : {}),
  scopes: app.scopes,
  status: app.status,
  createdAt: app.createdAt,
});

/**
 * The app's active credential of `environment`, which the portal's tokens for the app are issued to:
 * sandbox ones for try-it, production ones for managing the app's subscriptions and reading its usage.
 */
export function activeCredential(
  app: App,
  credentials: StoredCredential[],
  environment: StoredCredential['environment'],
): StoredCredential {
  const credential = credentials.find((c) => c.environment === environment && c.status === 'active');
  if (app.status !== 'active' || !credential) {
    throw new DomainError(
      'conflict',
      app.status !== 'active'
        ? 'The app is disabled.'
        : `The app has no active ${environment} credential; create one first.`,
    );
  }
  return credential;
}
