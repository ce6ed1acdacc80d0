import { DomainError } from '../kernel/errors.ts';
import { isConsoleScope } from '../kernel/scopes.ts';

/** Console roles, each including the ones before it. A token's console scopes decide its role. */
export const CONSOLE_ROLES = ['viewer', 'operator', 'admin'] as const;
export type ConsoleRole = (typeof CONSOLE_ROLES)[number];

export const roleScope = (role: ConsoleRole): string => `console:${role}`;

export function roleOf(scopes: readonly string[]): ConsoleRole | undefined {
  for (const role of [...CONSOLE_ROLES].reverse()) if (scopes.includes(roleScope(role))) return role;
  return undefined;
}

export { isConsoleScope };

/** Throws 403 unless `role` is at least `needed`. */
export function requireRoleLevel(role: ConsoleRole | undefined, needed: ConsoleRole): ConsoleRole {
  if (!role || CONSOLE_ROLES.indexOf(role) < CONSOLE_ROLES.indexOf(needed)) {
    throw new DomainError(
      'forbidden',
      `This action needs the ${needed} role${role ? `; the token has ${role}` : ''}.`,
      { requiredRole: needed },
      { challenge: `Bearer realm="portico", error="insufficient_scope", scope="${roleScope(needed)}"` },
    );
  }
  return role;
}

export const requireRole = (scopes: readonly string[], needed: ConsoleRole): ConsoleRole =>
  requireRoleLevel(roleOf(scopes), needed);
