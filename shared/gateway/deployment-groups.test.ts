import { describe, expect, it } from 'vitest';
import { isDomainError } from '../kernel/errors.ts';
import { checkDeploymentGroups, checkServedHere, groupOf } from './deployment-groups.ts';

describe('deployment groups', () => {
  const groups = checkDeploymentGroups({ payments: ['pay', 'refunds'], search: ['search'] });

  it('name the function each API is served by, the default one for the rest', () => {
    expect(groupOf(groups, 'refunds')).toBe('payments');
    expect(groupOf(groups, 'search')).toBe('search');
    expect(groupOf(groups, 'echo')).toBe('');
  });

  it('refuse a call that reached another function than its API’s, as an unknown API', () => {
    expect(() => checkServedHere(groups, 'pay', true)).not.toThrow();
    expect(() => checkServedHere(groups, 'echo', false)).not.toThrow();
    for (const [api, viaGroupRoute] of [
      ['pay', false],
      ['echo', true],
    ] as const) {
      let thrown: unknown;
      try {
        checkServedHere(groups, api, viaGroupRoute);
      } catch (error) {
        thrown = error;
      }
      expect(isDomainError(thrown) && thrown.code, `${api} ${viaGroupRoute}`).toBe('unknown-api');
    }
  });

  it.each([
    [[], /object/],
    [{ Bad: ['a'] }, /not a valid group name/],
    [{ g: [] }, /at least one API/],
    [{ g: ['Not-An-Api'] }, /not an API name/],
    [{ g: ['a'], h: ['a'] }, /"a" is in both "g" and "h"/],
  ])('refuse %j', (value, message) => {
    expect(() => checkDeploymentGroups(value)).toThrow(message);
  });
});
