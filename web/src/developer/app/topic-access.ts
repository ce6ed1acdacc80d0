import type { CatalogEntry } from '../../api/portal.ts';
import type { Topic } from '../api/messages.ts';

/** Platform topics (`portico.*`) tell each app about its own resources: any app may subscribe. */
const isPlatformTopic = (name: string): boolean => name.startsWith('portico.');

/** Whether an app holding `scopes` may subscribe to the topic (shared/messages/topic.ts). */
export const maySubscribe = (topic: Pick<Topic, 'name' | 'scope'>, scopes: readonly string[]): boolean =>
  isPlatformTopic(topic.name) || scopes.includes(topic.scope);

/** The listed APIs whose calls need `scope`: requesting access to one of them is how an app gets it. */
export const apisGranting = (scope: string, catalog: readonly CatalogEntry[]): string[] =>
  catalog.filter((api) => api.requiredScopes.includes(scope)).map((api) => api.name);
