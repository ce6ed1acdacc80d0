import { describe, expect, it } from 'vitest';
import { DomainError } from '../kernel/errors.ts';
import { requireRole, roleOf } from './roles.ts';

describe('console roles', () => {
  it('takes the highest console scope as the role', () => {
    expect(roleOf(['console:viewer', 'console:admin'])).toBe('admin');
    expect(roleOf(['echo:read'])).toBeUndefined();
  });

  it.each([
    [['console:viewer'], 'viewer', true],
    [['console:viewer'], 'operator', false],
    [['console:operator'], 'viewer', true],
    [['console:operator'], 'admin', false],
    [['console:admin'], 'admin', true],
    [[], 'viewer', false],
  ] as const)('%j may act as %s: %s', (scopes, needed, allowed) => {
    if (allowed) expect(requireRole(scopes, needed)).toBeDefined();
    else expect(() => requireRole(scopes, needed)).toThrow(DomainError);
  });
});
