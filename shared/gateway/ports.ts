import type { ApiDefinition, StoredApiDefinition } from './api-definition.ts';

export interface ApiRegistry {
  get(name: string): Promise<StoredApiDefinition | undefined>;
  /** Stores a definition as the next revision; `expectedRevision` guards against lost updates. */
  put(api: ApiDefinition, expectedRevision?: number): Promise<StoredApiDefinition>;
  list(): Promise<StoredApiDefinition[]>;
  delete(name: string): Promise<boolean>;
}

export class RevisionConflictError extends Error {
  override name = 'RevisionConflictError';
}
