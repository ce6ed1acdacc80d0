import { describe, expect, it } from 'vitest';
import { roleAllows } from './role.ts';

describe('console roles', () => {
  it('include the roles below them', () => {
    expect(roleAllows('admin', 'operator')).toBe(true);
    expect(roleAllows('operator', 'viewer')).toBe(true);
    expect(roleAllows('operator', 'operator')).toBe(true);
  });

  it('do not include the roles above them', () => {
    expect(roleAllows('viewer', 'operator')).toBe(false);
    expect(roleAllows('operator', 'admin')).toBe(false);
    expect(roleAllows(undefined, 'viewer')).toBe(false);
  });
});
