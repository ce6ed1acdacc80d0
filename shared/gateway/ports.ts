import type { ApiDefinition, StoredApiDefinition } from './api-definition.ts';

/** Which APIs exist, at which revision: what a gateway instance needs to know whether its copies are current. */
export interface RegistryIndexEntry {
  name: string;
  revision: number;
}

export interface ApiRegistry {
  get(name: string): Promise<StoredApiDefinition | undefined>;
  /** Stores a definition as the next revision; `expectedRevision` guards against lost updates. */
  put(api: ApiDefinition, expectedRevision?: number): Promise<StoredApiDefinition>;
  list(): Promise<StoredApiDefinition[]>;
  delete(name: string): Promise<boolean>;
  /** A number that grows with every put and delete: one cheap read tells a cache whether anything changed. */
  catalogVersion(): Promise<number>;
  index(): Promise<RegistryIndexEntry[]>;
}

export class RevisionConflictError extends Error {
  override name = 'RevisionConflictError';
}
