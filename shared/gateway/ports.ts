import type { ApiDefinition } from './api-definition.ts';

export interface ApiRegistry {
  get(name: string): Promise<ApiDefinition | undefined>;
  put(api: ApiDefinition): Promise<void>;
}
