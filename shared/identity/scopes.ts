import { isPlatformScope } from '../kernel/scopes.ts';
import type { CredentialEnvironment } from './model.ts';

/** What a credential of an app may be granted: a sandbox credential never carries a platform scope (console or publish). */
export const grantableScopes = (
  appScopes: readonly string[],
  environment: CredentialEnvironment,
): string[] => (environment === 'sandbox' ? appScopes.filter((s) => !isPlatformScope(s)) : [...appScopes]);
