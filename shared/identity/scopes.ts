import type { CredentialEnvironment } from './model.ts';

/** Scopes naming a console role (`console:viewer`, `console:operator`, `console:admin`). */
export const isConsoleScope = (scope: string): boolean => scope.startsWith('console:');

/** What a credential of an app may be granted: a sandbox credential never carries a console scope. */
export const grantableScopes = (
  appScopes: readonly string[],
  environment: CredentialEnvironment,
): string[] => (environment === 'sandbox' ? appScopes.filter((s) => !isConsoleScope(s)) : [...appScopes]);
