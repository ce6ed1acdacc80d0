import type { ActionContext, ConsoleActions } from '../console/console-actions.ts';
import type { ConsoleStore } from '../console/ports.ts';
import type { AppStore } from '../identity/ports.ts';
import { REDIRECT_URI_PATTERN } from '../identity/register-app.ts';
import { DomainError } from '../kernel/errors.ts';
import { bodyValidator } from '../kernel/validation.ts';
import { appSummary, developerIdOf, ownApp, type PortalSession } from './developer-session.ts';

/** How many apps one developer account may hold: enough for any team, a bound for a script gone wrong. */
export const MAX_APPS_PER_DEVELOPER = 25;
/** Credentials one app may hold, both environments together. */
export const MAX_CREDENTIALS_PER_APP = 10;

/** What a developer sets on an app themselves; scopes come only from approved access requests. */
const validateNewApp = bodyValidator<{ name: string; description?: string; redirectUris?: string[] }>({
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100, pattern: '\\S' },
    description: { type: 'string', maxLength: 1000 },
    redirectUris: {
      type: 'array',
      items: { type: 'string', maxLength: 2000, pattern: REDIRECT_URI_PATTERN },
      maxItems: 20,
      uniqueItems: true,
    },
  },
  required: ['name'],
  additionalProperties: false,
});

/**
 * A developer's own apps from the portal: the console's actions, always aimed at an app of the
 * session's developer account and audited as that person. Another developer's app is not found.
 */
export class DeveloperApps {
  constructor(
    private readonly deps: {
      actions: ConsoleActions;
      store: Pick<ConsoleStore, 'getDeveloper' | 'countApps' | 'listCredentials'>;
      apps: Pick<AppStore, 'getApp'>;
    },
  ) {}

  private context(session: PortalSession, requestId: string, now: Date): ActionContext {
    return {
      actor: { subject: session.user.userId, clientId: 'portico-web', role: 'developer' },
      requestId,
      now,
    };
  }

  private async activeDeveloper(session: PortalSession): Promise<string> {
    const developerId = developerIdOf(session);
    const developer = await this.deps.store.getDeveloper(developerId);
    if (developer?.status !== 'active')
      throw new DomainError('forbidden', 'The developer account is disabled or waiting for approval.');
    return developerId;
  }

  private async own(session: PortalSession, appId: string) {
    return ownApp(session, await this.deps.apps.getApp(appId));
  }

  /** A new app with a production and a sandbox credential, their secrets shown this once. */
  async create(session: PortalSession, body: unknown, requestId: string, now: Date) {
    const input = validateNewApp(body);
    const developerId = await this.activeDeveloper(session);
    if ((await this.deps.store.countApps(developerId)) >= MAX_APPS_PER_DEVELOPER) {
      throw new DomainError('conflict', `A developer account holds at most ${MAX_APPS_PER_DEVELOPER} apps.`);
    }
    const ctx = this.context(session, requestId, now);
    const created = await this.deps.actions.createApp(ctx, { ...input, developerId });
    const sandbox = await this.deps.actions.addCredential(ctx, created.appId, { environment: 'sandbox' });
    return { ...appSummary(created), credentials: [...created.credentials, sandbox] };
  }

  async get(session: PortalSession, appId: string) {
    const app = await this.own(session, appId);
    const credentials = await this.deps.store.listCredentials(app.appId);
    return {
      ...appSummary(app),
      redirectUris: app.redirectUris,
      credentials: credentials.map((c) => ({
        clientId: c.clientId,
        environment: c.environment,
        status: c.status,
        createdAt: c.createdAt,
      })),
    };
  }

  /**
   * Another credential of the app (`{ "environment": "production" | "sandbox" }`, sandbox by default),
   * its secret shown this once: e.g. after revoking the only production one.
   */
  async addCredential(session: PortalSession, appId: string, body: unknown, requestId: string, now: Date) {
    const app = await this.own(session, appId);
    await this.activeDeveloper(session);
    if ((await this.deps.store.listCredentials(app.appId)).length >= MAX_CREDENTIALS_PER_APP)
      throw new DomainError('conflict', `An app holds at most ${MAX_CREDENTIALS_PER_APP} credentials.`);
    return this.deps.actions.addCredential(this.context(session, requestId, now), appId, body);
  }

  /** A new secret; the current one keeps working for a day so running clients can switch. */
  async rotateSecret(session: PortalSession, appId: string, clientId: string, requestId: string, now: Date) {
    await this.own(session, appId);
    await this.activeDeveloper(session);
    return this.deps.actions.rotateSecret(this.context(session, requestId, now), appId, clientId, {});
  }

  /** Deletes the credential and revokes the tokens issued to it. */
  async revokeCredential(
    session: PortalSession,
    appId: string,
    clientId: string,
    requestId: string,
    now: Date,
  ) {
    await this.own(session, appId);
    await this.deps.actions.deleteCredential(this.context(session, requestId, now), appId, clientId);
  }
}
