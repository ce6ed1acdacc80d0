import { newId } from '../crypto/random.ts';
import { generateClientSecret } from '../identity/client-secret.ts';
import type { App, CredentialEnvironment, StoredCredential } from '../identity/model.ts';
import type { AppStore, SecretCipher, TokenStore } from '../identity/ports.ts';
import {
  applyAppUpdate,
  type CreateAppInput,
  newApp,
  newSecretVersion,
  type UpdateAppInput,
  validateCreateApp,
  validateUpdateApp,
} from '../identity/register-app.ts';
import type { AccessTokenRecord } from '../identity/token-records.ts';
import { DomainError } from '../kernel/errors.ts';
import { type Page, type PageRequest, paged } from '../kernel/page.ts';
import { isPlatformScope } from '../kernel/scopes.ts';
import { bodyValidator } from '../kernel/validation.ts';
import { type AuditEntry, auditEntry } from './audit.ts';
import {
  type Developer,
  newDeveloper,
  validateCreateDeveloper,
  validateUpdateDeveloper,
} from './developers.ts';
import { type ConsoleStore, NotFoundError } from './ports.ts';
import { type ConsoleRole, requireRoleLevel } from './roles.ts';

export interface ConsoleDeps {
  store: ConsoleStore;
  apps: AppStore;
  tokens: TokenStore;
  cipher: SecretCipher;
}

export interface ActionContext {
  actor: AuditEntry['actor'];
  requestId: string;
  now: Date;
}

const DEFAULT_OVERLAP_SECONDS = 86_400;

const validateNewCredential = bodyValidator<{ environment?: CredentialEnvironment }>({
  type: 'object',
  properties: { environment: { enum: ['production', 'sandbox'] } },
  additionalProperties: false,
});

const validateRotation = bodyValidator<{ overlapSeconds?: number }>({
  type: 'object',
  properties: { overlapSeconds: { type: 'integer', minimum: 0, maximum: 7 * 86_400 } },
  additionalProperties: false,
});

/** What the console shows of a credential: never a verifier or a ciphertext. */
const credentialView = (c: StoredCredential) => ({
  clientId: c.clientId,
  environment: c.environment,
  status: c.status,
  createdAt: c.createdAt,
  secrets: c.secrets.map((s) => ({
    id: s.id,
    createdAt: s.createdAt,
    ...(s.expiresAt ? { expiresAt: s.expiresAt } : {}),
  })),
});

function notFound(what: string): never {
  throw new DomainError('not-found', `No ${what} has this id.`);
}

/** The console's use cases: validation, role rules beyond the route's, and an audit entry for every write. */
export class ConsoleActions {
  constructor(private readonly deps: ConsoleDeps) {}

  private audit(
    ctx: ActionContext,
    action: string,
    target: AuditEntry['target'],
    change: { before?: unknown; after?: unknown },
  ) {
    return auditEntry(ctx.actor, action, target, change, ctx.now, ctx.requestId);
  }

  // Developers

  listDevelopers({ limit, cursor }: PageRequest) {
    return paged(() => this.deps.store.listDevelopers(limit, cursor));
  }

  async createDeveloper(ctx: ActionContext, body: unknown): Promise<Developer> {
    const developer = newDeveloper(validateCreateDeveloper(body), ctx.now);
    await this.deps.store.createDeveloper(
      developer,
      this.audit(
        ctx,
        'developer.create',
        { type: 'developer', id: developer.developerId },
        { after: developer },
      ),
    );
    return developer;
  }

  async getDeveloper(developerId: string): Promise<Developer> {
    return (await this.deps.store.getDeveloper(developerId)) ?? notFound('developer');
  }

  async updateDeveloper(ctx: ActionContext, developerId: string, body: unknown): Promise<Developer> {
    const update = validateUpdateDeveloper(body);
    const before = await this.getDeveloper(developerId);
    const apps = await this.appsOf(developerId);
    // Disabling a developer disables their apps: only admins may do that to an admin client's owner.
    for (const app of apps) this.requireMayChange(ctx, app);
    const after: Developer = {
      ...before,
      ...update,
      ...(update.name ? { name: update.name.trim() } : {}),
      ...(update.email ? { email: update.email.toLowerCase() } : {}),
      updatedAt: ctx.now.toISOString(),
    };
    await this.deps.store.updateDeveloper(
      after,
      this.audit(ctx, 'developer.update', { type: 'developer', id: developerId }, { before, after }),
    );
    // Their apps stop authenticating at once (every path checks the developer); live tokens go too.
    // Repeated on every PATCH that leaves the developer disabled, so a retry completes a failed sweep.
    if (after.status === 'disabled')
      for (const app of apps) await this.deps.tokens.revokeAllForApp(app.appId, ctx.now);
    return after;
  }

  private async appsOf(developerId: string): Promise<App[]> {
    const apps: App[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.deps.store.listApps(100, cursor, developerId);
      apps.push(...page.items);
      cursor = page.next;
    } while (cursor);
    return apps;
  }

  async deleteDeveloper(ctx: ActionContext, developerId: string): Promise<void> {
    const before = await this.getDeveloper(developerId);
    if ((await this.deps.store.countApps(developerId)) > 0) {
      throw new DomainError('conflict', 'The developer still owns apps: delete or reassign them first.');
    }
    await this.deps.store.deleteDeveloper(
      developerId,
      this.audit(ctx, 'developer.delete', { type: 'developer', id: developerId }, { before }),
    );
  }

  // Apps

  listApps({ limit, cursor }: PageRequest, developerId?: string) {
    return paged(() => this.deps.store.listApps(limit, cursor, developerId));
  }

  /**
   * Apps that hold platform scopes (console roles, publishing) are internal clients: only admins change
   * them, their credentials, their tokens or their owner. Every write aimed at an app goes through this (or `appForWrite`).
   */
  private requireMayChange(ctx: ActionContext, app: Pick<App, 'scopes'>): void {
    if (app.scopes.some(isPlatformScope)) requireRoleLevel(ctx.actor.role as ConsoleRole, 'admin');
  }

  private async appForWrite(ctx: ActionContext, appId: string): Promise<App> {
    const app = await this.app(appId);
    this.requireMayChange(ctx, app);
    return app;
  }

  private async checkAppInput(ctx: ActionContext, input: CreateAppInput | UpdateAppInput): Promise<void> {
    if (input.scopes) this.requireMayChange(ctx, { scopes: input.scopes });
    if (input.developerId && !(await this.deps.store.getDeveloper(input.developerId))) {
      throw new DomainError('validation-failed', 'developerId names no developer.', {
        errors: [{ pointer: '/developerId', message: 'names no developer' }],
      });
    }
  }

  async createApp(ctx: ActionContext, body: unknown) {
    const input = validateCreateApp(body);
    await this.checkAppInput(ctx, input);
    const app = newApp(input, ctx.now);
    const { credential, clientSecret } = await this.newCredential(app.appId, 'production', ctx.now);
    await this.deps.store.createApp(
      app,
      credential,
      this.audit(ctx, 'app.create', { type: 'app', id: app.appId }, { after: { app, credential } }),
    );
    return {
      ...app,
      credentials: [{ clientId: credential.clientId, clientSecret, environment: credential.environment }],
    };
  }

  private async app(appId: string): Promise<App> {
    return (await this.deps.apps.getApp(appId)) ?? notFound('app');
  }

  async getApp(appId: string) {
    const app = await this.app(appId);
    return { ...app, credentials: (await this.deps.store.listCredentials(appId)).map(credentialView) };
  }

  async updateApp(ctx: ActionContext, appId: string, body: unknown): Promise<App> {
    const update = validateUpdateApp(body);
    await this.checkAppInput(ctx, update);
    const before = await this.appForWrite(ctx, appId);
    const after = applyAppUpdate(before, update, ctx.now);
    await this.deps.store.updateApp(
      after,
      this.audit(ctx, 'app.update', { type: 'app', id: appId }, { before, after }),
    );
    // A disabled app's tokens stop working everywhere within the revocation feed's refresh interval.
    if (before.status === 'active' && after.status === 'disabled')
      await this.deps.tokens.revokeAllForApp(appId, ctx.now);
    return after;
  }

  async deleteApp(ctx: ActionContext, appId: string): Promise<void> {
    const before = await this.appForWrite(ctx, appId);
    const credentials = await this.deps.store.listCredentials(appId);
    await this.deps.tokens.revokeAllForApp(appId, ctx.now);
    await this.deps.store.deleteApp(
      before,
      credentials,
      this.audit(ctx, 'app.delete', { type: 'app', id: appId }, { before: { app: before, credentials } }),
    );
  }

  // Credentials

  private async newCredential(appId: string, environment: CredentialEnvironment, now: Date) {
    const clientId = newId(environment === 'production' ? 'ak' : 'ak_test');
    const clientSecret = generateClientSecret();
    const credential: StoredCredential = {
      clientId,
      appId,
      environment,
      secrets: [await newSecretVersion(this.deps.cipher, appId, clientId, clientSecret, now)],
      status: 'active',
      createdAt: now.toISOString(),
    };
    return { credential, clientSecret };
  }

  private async credentialForWrite(
    ctx: ActionContext,
    appId: string,
    clientId: string,
  ): Promise<StoredCredential> {
    await this.appForWrite(ctx, appId);
    const credential = await this.deps.apps.getCredential(clientId);
    return credential && credential.appId === appId ? credential : notFound('credential of this app');
  }

  async listCredentials(appId: string) {
    await this.app(appId);
    return (await this.deps.store.listCredentials(appId)).map(credentialView);
  }

  async addCredential(ctx: ActionContext, appId: string, body: unknown) {
    const { environment = 'sandbox' } = validateNewCredential(body);
    await this.appForWrite(ctx, appId);
    const { credential, clientSecret } = await this.newCredential(appId, environment, ctx.now);
    try {
      await this.deps.store.addCredential(
        credential,
        this.audit(
          ctx,
          'credential.create',
          { type: 'credential', id: credential.clientId },
          { after: credentialView(credential) },
        ),
      );
    } catch (error) {
      if (error instanceof NotFoundError) notFound('app');
      throw error;
    }
    return { clientId: credential.clientId, clientSecret, environment };
  }

  /**
   * Issues a new secret; the current one keeps working for `overlapSeconds` (default 24 h) so clients
   * can switch without downtime. Older versions already winding down are dropped.
   */
  async rotateSecret(ctx: ActionContext, appId: string, clientId: string, body: unknown) {
    const { overlapSeconds = DEFAULT_OVERLAP_SECONDS } = validateRotation(body);
    const before = await this.credentialForWrite(ctx, appId, clientId);
    const clientSecret = generateClientSecret();
    const current = before.secrets.find((s) => !s.expiresAt) ?? before.secrets[0]!;
    const expiresAt = new Date(ctx.now.getTime() + overlapSeconds * 1000).toISOString();
    const after: StoredCredential = {
      ...before,
      secrets: [
        await newSecretVersion(this.deps.cipher, appId, clientId, clientSecret, ctx.now),
        ...(overlapSeconds > 0 ? [{ ...current, expiresAt }] : []),
      ],
    };
    await this.deps.store.replaceCredential(
      after,
      this.audit(
        ctx,
        'credential.rotate',
        { type: 'credential', id: clientId },
        { before: credentialView(before), after: credentialView(after) },
      ),
    );
    return { clientId, clientSecret, ...(overlapSeconds > 0 ? { previousSecretExpiresAt: expiresAt } : {}) };
  }

  async deleteCredential(ctx: ActionContext, appId: string, clientId: string): Promise<void> {
    const before = await this.credentialForWrite(ctx, appId, clientId);
    const issued = (await this.deps.tokens.listAccessTokens(appId, ctx.now)).filter(
      (t) => t.clientId === clientId && !t.revokedAt,
    );
    await this.deps.tokens.revokeAccessTokens(issued, ctx.now);
    await this.deps.store.deleteCredential(
      before,
      this.audit(
        ctx,
        'credential.delete',
        { type: 'credential', id: clientId },
        { before: credentialView(before) },
      ),
    );
  }

  // Tokens

  async listTokens(appId: string, page: PageRequest): Promise<Page<AccessTokenRecord>> {
    await this.app(appId);
    const [notBefore, tokens] = await Promise.all([
      this.deps.tokens.appNotBefore(appId),
      paged(() => this.deps.tokens.pageAccessTokens(appId, new Date(), page)),
    ]);
    // Tokens swept by a revoke-all carry no revokedAt of their own: show them as the gateway sees them.
    const items = tokens.items.map((t) =>
      !t.revokedAt && notBefore !== undefined && t.issuedAt <= notBefore
        ? { ...t, revokedAt: new Date(notBefore * 1000).toISOString() }
        : t,
    );
    return { ...tokens, items };
  }

  async revokeAllTokens(ctx: ActionContext, appId: string) {
    await this.appForWrite(ctx, appId);
    await this.deps.tokens.revokeAllForApp(appId, ctx.now);
    await this.deps.store.appendAudit(this.audit(ctx, 'tokens.revoke-all', { type: 'app', id: appId }, {}));
    return { revokedBefore: ctx.now.toISOString() };
  }

  async revokeToken(ctx: ActionContext, appId: string, jti: string): Promise<void> {
    await this.appForWrite(ctx, appId);
    const record = (await this.deps.tokens.getAccessToken(appId, jti)) ?? notFound('token of this app');
    await this.deps.tokens.revokeAccessTokens([record], ctx.now);
    await this.deps.store.appendAudit(
      this.audit(ctx, 'token.revoke', { type: 'token', id: jti }, { before: record }),
    );
  }

  listAudit({ limit, cursor }: PageRequest) {
    return paged(() => this.deps.store.listAudit(limit, cursor));
  }
}
