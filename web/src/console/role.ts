import type { ConsoleRole } from '../api/me.ts';

const RANK: Record<ConsoleRole, number> = { viewer: 0, operator: 1, admin: 2 };

/** Whether `role` may do what `needed` may (viewer < operator < admin). */
export const roleAllows = (role: ConsoleRole | undefined, needed: ConsoleRole): boolean =>
  role !== undefined && RANK[role] >= RANK[needed];
