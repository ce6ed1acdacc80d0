import { describe, expect, it } from 'vitest';
import type { App, StoredCredential } from '../identity/model.ts';
import type { User } from '../identity/users.ts';
import { errorCodeOf } from '../kernel/testing/error-code.ts';
import { activeCredential, meOf, ownApp, portalSession } from './developer-session.ts';

const dev: User = {
  userId: 'user_1',
  username: 'ann',
  displayName: 'Ann',
  innerId: 'i1',
  developerId: 'dev_a',
};
const app = (developerId?: string, status: App['status'] = 'active'): App => ({
  appId: 'app_1',
  name: 'Shop',
  ...(developerId ? { developerId } : {}),
  scopes: ['echo:read'],
  redirectUris: [],
  status,
  createdAt: '2026-12-01T00:00:00Z',
});
const credential = (
  environment: StoredCredential['environment'],
  status: StoredCredential['status'] = 'active',
) =>
  ({
    clientId: `ak_${environment}`,
    appId: 'app_1',
    environment,
    secrets: [],
    status,
    createdAt: '',
  }) as StoredCredential;

describe('portal session', () => {
  it('admits only a production token with the portal scope whose user still exists', () => {
    expect(errorCodeOf(() => portalSession({ scopes: ['echo:read'] }, dev))).toBe('forbidden');
    expect(errorCodeOf(() => portalSession({ scopes: ['portal'], sandbox: true }, dev))).toBe('forbidden');
    expect(errorCodeOf(() => portalSession({ scopes: ['portal'] }, undefined))).toBe('invalid-token');
    expect(meOf(portalSession({ scopes: ['portal', 'console:operator'] }, dev))).toEqual({
      userId: 'user_1',
      username: 'ann',
      displayName: 'Ann',
      consoleRole: 'operator',
      developerId: 'dev_a',
    });
  });

  it("answers another developer's app, or an app of nobody's, as not found", () => {
    const session = portalSession({ scopes: ['portal'] }, dev);
    expect(ownApp(session, app('dev_a')).appId).toBe('app_1');
    expect(errorCodeOf(() => ownApp(session, app('dev_b')))).toBe('not-found');
    expect(errorCodeOf(() => ownApp(session, app()))).toBe('not-found');
    expect(errorCodeOf(() => ownApp(session, undefined))).toBe('not-found');
    const operator = portalSession(
      { scopes: ['portal', 'console:admin'] },
      { ...dev, developerId: undefined },
    );
    expect(errorCodeOf(() => ownApp(operator, app('dev_a')))).toBe('forbidden');
  });

  it('tries APIs with an active sandbox credential of an active app only', () => {
    expect(
      activeCredential(app('dev_a'), [credential('production'), credential('sandbox')], 'sandbox').clientId,
    ).toBe('ak_sandbox');
    expect(errorCodeOf(() => activeCredential(app('dev_a'), [credential('production')], 'sandbox'))).toBe(
      'conflict',
    );
    expect(
      errorCodeOf(() => activeCredential(app('dev_a'), [credential('sandbox', 'disabled')], 'sandbox')),
    ).toBe('conflict');
    expect(
      errorCodeOf(() => activeCredential(app('dev_a', 'disabled'), [credential('sandbox')], 'sandbox')),
    ).toBe('conflict');
  });
});
