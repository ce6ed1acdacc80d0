import type { AuditEntry } from '../console/audit.ts';
import type { App } from '../identity/model.ts';
import type { Page, PageRequest } from '../kernel/page.ts';
import type { AccessRequest } from './access-requests.ts';

/** Access requests: each write lands with its audit entry (and, on approval, the app's new scopes). */
export interface AccessRequestStore {
  /** ConflictError when the app already has a pending request for the API. */
  create(request: AccessRequest, audit: AuditEntry): Promise<void>;
  get(requestId: string): Promise<AccessRequest | undefined>;
  /** Fails with ConflictError when the request is no longer pending or the app changed meanwhile. */
  decide(
    request: AccessRequest,
    app: App | undefined,
    previous: App | undefined,
    audit: AuditEntry,
  ): Promise<void>;
  listByStatus(status: AccessRequest['status'], page: PageRequest): Promise<Page<AccessRequest>>;
  listByDeveloper(developerId: string, page: PageRequest): Promise<Page<AccessRequest>>;
}

export class ConflictError extends Error {
  override name = 'ConflictError';
}
