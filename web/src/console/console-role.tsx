import { createContext, type ReactNode, useContext } from 'react';
import type { ConsoleRole } from '../api/me.ts';
import { roleAllows } from './role.ts';

const RoleContext = createContext<ConsoleRole | undefined>(undefined);

export function ConsoleRoleProvider({ role, children }: { role: ConsoleRole; children: ReactNode }) {
  return <RoleContext.Provider value={role}>{children}</RoleContext.Provider>;
}

/** Whether the signed-in person's console role may do what `needed` may. */
export function useRoleAllows(needed: ConsoleRole): boolean {
  return roleAllows(useContext(RoleContext), needed);
}

/** A note in place of something the person's role does not allow. */
export function RoleNote({ needed, what }: { needed: ConsoleRole; what: string }) {
  return (
    <p className="note">
      {what} needs the <strong>{needed}</strong> role or above.
    </p>
  );
}
