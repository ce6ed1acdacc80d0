/** OAuth scopes as every capability writes them: apps hold them, tokens carry them, APIs require them. */
export const SCOPE_PATTERN = '^[A-Za-z0-9][A-Za-z0-9:._/-]{0,127}$';

/** The JSON Schema of a list of distinct scopes. */
export const scopeListSchema = <N extends number>(maxItems: N) =>
  ({
    type: 'array',
    items: { type: 'string', pattern: SCOPE_PATTERN },
    maxItems,
    uniqueItems: true,
  }) as const;

/** Scopes naming a console role (`console:viewer`, `console:operator`, `console:admin`). */
export const isConsoleScope = (scope: string): boolean => scope.startsWith('console:');

/** The scope an internal publisher needs to publish to `topic` (`POST /internal/v1/topics/{topic}/messages`). */
export const publishScope = (topic: string): string => `publish:${topic}`;

/** A person signed in to the web app: the developer portal's own routes (`/v1/me/...`). */
export const PORTAL_SCOPE = 'portal';

/** The scope an internal service needs to ask about partner health (`/health/v1/partners`). */
export const HEALTH_READ_SCOPE = 'health:read';

/**
 * Scopes that make an app part of the platform rather than a third party: console roles, publishing
 * and partner health. Only admins grant them; a user's approval (authorization code) and a sandbox
 * credential never carry them.
 */
export const isPlatformScope = (scope: string): boolean =>
  isConsoleScope(scope) ||
  scope.startsWith('publish:') ||
  scope === HEALTH_READ_SCOPE ||
  scope === PORTAL_SCOPE;
