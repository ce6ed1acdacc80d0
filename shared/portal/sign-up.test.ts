import { describe, expect, it } from 'vitest';
import { isDomainError } from '../kernel/errors.ts';
import { signUp } from './sign-up.ts';

const now = new Date('2026-12-04T10:00:00Z');
const valid = {
  name: 'Ann Lee',
  email: 'Ann@Example.com',
  username: 'ann',
  password: 'correct horse battery',
};

const deps = (approval: 'automatic' | 'operator') => {
  const written: unknown[] = [];
  return {
    written,
    deps: {
      store: { signUp: async (...args: unknown[]) => void written.push(args) },
      hashPassword: async (p: string) => `hash(${p.length})`,
      approval,
    },
  };
};

describe('sign-up', () => {
  it('creates a developer account and its person together, pending when an operator approves', async () => {
    const { deps: d, written } = deps('operator');
    const { developer, user } = await signUp(d, valid, 'req-1', now);
    expect(developer).toMatchObject({ name: 'Ann Lee', email: 'ann@example.com', status: 'pending' });
    expect(user).toMatchObject({
      username: 'ann',
      developerId: developer.developerId,
      displayName: 'Ann Lee',
    });
    expect(user.scopes).toBeUndefined();
    const [, , hash, audit] = written[0] as [unknown, unknown, string, { action: string; after: string }];
    expect(hash).toBe('hash(21)');
    expect(audit.action).toBe('developer.sign-up');
    expect(JSON.stringify(audit)).not.toContain('correct horse');
    expect((await signUp(deps('automatic').deps, valid, 'req-2', now)).developer.status).toBe('active');
  });

  it.each([
    [{ ...valid, password: 'short' }, '/password'],
    [{ ...valid, password: 'xx-ann-xx-ann-xx' }, '/password'],
    [{ ...valid, username: 'Ann' }, '/username'],
    [{ ...valid, email: 'not-an-email' }, '/email'],
    [{ ...valid, scopes: ['console:admin'] }, ''],
  ])('refuses %j and writes nothing', async (body, pointer) => {
    const { deps: d, written } = deps('automatic');
    const error = await signUp(d, body, 'req', now).catch((e: unknown) => e);
    expect(isDomainError(error) && error.code).toBe('validation-failed');
    expect(JSON.stringify((error as { details: unknown }).details)).toContain(pointer);
    expect(written).toEqual([]);
  });
});
