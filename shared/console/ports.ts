import type { App, StoredCredential } from '../identity/model.ts';
import type { User } from '../identity/users.ts';
import type { Page } from '../kernel/page.ts';
import type { AuditEntry } from './audit.ts';
import type { Developer } from './developers.ts';

/** The console's writes: each one lands together with its audit entry, or not at all. */
export interface ConsoleStore {
  createDeveloper(developer: Developer, audit: AuditEntry): Promise<void>;
  /** A developer account with the person who signed it up; AlreadyExistsError when the username is taken. */
  signUp(developer: Developer, user: User, passwordHash: string, audit: AuditEntry): Promise<void>;
  getDeveloper(developerId: string): Promise<Developer | undefined>;
  updateDeveloper(developer: Developer, audit: AuditEntry): Promise<void>;
  deleteDeveloper(developerId: string, audit: AuditEntry): Promise<void>;
  listDevelopers(limit: number, cursor?: string): Promise<Page<Developer>>;

  createApp(app: App, credential: StoredCredential, audit: AuditEntry): Promise<void>;
  updateApp(app: App, audit: AuditEntry): Promise<void>;
  deleteApp(app: App, credentials: StoredCredential[], audit: AuditEntry): Promise<void>;
  listApps(limit: number, cursor?: string, developerId?: string): Promise<Page<App>>;
  countApps(developerId: string): Promise<number>;

  listCredentials(appId: string): Promise<StoredCredential[]>;
  addCredential(credential: StoredCredential, audit: AuditEntry): Promise<void>;
  replaceCredential(credential: StoredCredential, audit: AuditEntry): Promise<void>;
  deleteCredential(credential: StoredCredential, audit: AuditEntry): Promise<void>;

  appendAudit(entry: AuditEntry): Promise<void>;
  listAudit(limit: number, cursor?: string): Promise<Page<AuditEntry>>;
}

export class NotFoundError extends Error {
  override name = 'NotFoundError';
}
