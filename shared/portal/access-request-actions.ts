import { auditEntry } from '../console/audit.ts';
import type { ActionContext } from '../console/console-actions.ts';
import type { ApiDefinition } from '../gateway/api-definition.ts';
import type { AppStore } from '../identity/ports.ts';
import { DomainError } from '../kernel/errors.ts';
import { type PageRequest, paged } from '../kernel/page.ts';
import {
  type AccessRequest,
  decide,
  newAccessRequest,
  validateDecision,
  validateNewAccessRequest,
} from './access-requests.ts';
import { developerIdOf, ownApp, type PortalSession } from './developer-session.ts';
import { type AccessRequestStore, ConflictError } from './ports.ts';

export interface AccessRequestDeps {
  requests: AccessRequestStore;
  apps: Pick<AppStore, 'getApp'>;
  registry: { get(name: string): Promise<ApiDefinition | undefined> };
}

const conflict = (error: unknown, message: string): never => {
  if (error instanceof ConflictError) throw new DomainError('conflict', message);
  throw error;
};

/**
 * Applying for an API from the portal and deciding in the console: an approval grants the scopes to the
 * app in the same write as the decision and its audit entry; the developer sees the outcome in the
 * portal's inbox (their requests, with the decision and any reason).
 */
export class AccessRequestActions {
  constructor(private readonly deps: AccessRequestDeps) {}

  async apply(session: PortalSession, appId: string, body: unknown, requestId: string, now: Date) {
    const input = validateNewAccessRequest(body);
    const app = ownApp(session, await this.deps.apps.getApp(appId));
    const request = newAccessRequest(
      app,
      await this.deps.registry.get(input.apiName),
      input,
      session.user.userId,
      now,
    );
    const audit = auditEntry(
      { subject: session.user.userId, clientId: 'portico-web', role: 'developer' },
      'access-request.create',
      { type: 'access-request', id: request.requestId },
      { after: request },
      now,
      requestId,
    );
    await this.deps.requests
      .create(request, audit)
      .catch((error) => conflict(error, `The app already has a pending request for ${request.apiName}.`));
    return request;
  }

  mine(session: PortalSession, page: PageRequest) {
    return paged(() => this.deps.requests.listByDeveloper(developerIdOf(session), page));
  }

  list(status: AccessRequest['status'], page: PageRequest) {
    return paged(() => this.deps.requests.listByStatus(status, page));
  }

  async decide(ctx: ActionContext, requestId: string, approve: boolean, body: unknown) {
    const { reason } = validateDecision(body);
    const request = await this.deps.requests.get(requestId);
    const before = request ? await this.deps.apps.getApp(request.appId) : undefined;
    const decided = decide(
      request,
      before,
      { approve, ...(reason ? { reason } : {}) },
      ctx.actor,
      ctx.requestId,
      ctx.now,
    );
    await this.deps.requests
      .decide(decided.request, decided.app, before, decided.audit)
      .catch((error) =>
        conflict(error, 'The request or its app changed meanwhile; reload and decide again.'),
      );
    return decided.request;
  }
}
