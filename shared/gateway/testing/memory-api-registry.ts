import type { ApiDefinition, StoredApiDefinition } from '../api-definition.ts';
import { type ApiRegistry, type RegistryIndexEntry, RevisionConflictError } from '../ports.ts';

/**
 * The registry in memory, for tests and benchmarks; counts reads so tests can prove what is cached.
 * Definitions are copied in and out, as a round trip through DynamoDB would.
 */
export class MemoryApiRegistry implements ApiRegistry {
  private readonly apis = new Map<string, StoredApiDefinition>();
  private version = 0;
  readonly reads = { get: 0, catalogVersion: 0, index: 0 };

  async get(name: string): Promise<StoredApiDefinition | undefined> {
    this.reads.get++;
    return structuredClone(this.apis.get(name));
  }

  async put(api: ApiDefinition, expectedRevision?: number): Promise<StoredApiDefinition> {
    const current = this.apis.get(api.name);
    if (expectedRevision !== undefined && (current?.revision ?? 0) !== expectedRevision) {
      throw new RevisionConflictError(`revision is ${current?.revision ?? 0}, not ${expectedRevision}`);
    }
    const stored = {
      ...structuredClone(api),
      revision: (current?.revision ?? 0) + 1,
      updatedAt: new Date().toISOString(),
    };
    this.apis.set(api.name, stored);
    this.version++;
    return structuredClone(stored);
  }

  async list(): Promise<StoredApiDefinition[]> {
    return [...this.apis.values()].map((api) => structuredClone(api));
  }

  async delete(name: string): Promise<boolean> {
    this.version++;
    return this.apis.delete(name);
  }

  async catalogVersion(): Promise<number> {
    this.reads.catalogVersion++;
    return this.version;
  }

  async index(): Promise<RegistryIndexEntry[]> {
    this.reads.index++;
    return [...this.apis.values()].map(({ name, revision }) => ({ name, revision }));
  }
}
