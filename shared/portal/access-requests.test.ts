import { describe, expect, it } from 'vitest';
import type { ApiDefinition } from '../gateway/api-definition.ts';
import type { App } from '../identity/model.ts';
import { errorCodeOf } from '../kernel/testing/error-code.ts';
import { decide, newAccessRequest, scopesOfApi } from './access-requests.ts';

const now = new Date('2026-12-04T10:00:00Z');
const app: App = {
  appId: 'app_1',
  name: 'Shop',
  developerId: 'dev_1',
  scopes: ['orders:read'],
  redirectUris: [],
  status: 'active',
  createdAt: '2026-12-01T00:00:00Z',
};
const api = {
  name: 'orders',
  requiredScopes: ['orders:read'],
  routes: [{ method: 'POST', path: '/orders', requiredScopes: ['orders:write', 'console:admin'] }],
  lifecycle: { status: 'published' },
} as unknown as ApiDefinition;
const operator = { subject: 'user_ops', clientId: 'portico-web', role: 'operator' };

describe('access requests', () => {
  it('asks for the API’s scopes the app lacks, never a platform scope', () => {
    expect(scopesOfApi(api)).toEqual(['orders:read', 'orders:write', 'console:admin']);
    const request = newAccessRequest(app, api, { apiName: 'orders' }, 'user_dev', now);
    expect(request).toMatchObject({
      appId: 'app_1',
      developerId: 'dev_1',
      scopes: ['orders:write'],
      status: 'pending',
    });
    expect(
      errorCodeOf(() =>
        newAccessRequest(app, api, { apiName: 'orders', scopes: ['console:admin'] }, 'u', now),
      ),
    ).toBe('validation-failed');
    expect(
      errorCodeOf(() => newAccessRequest(app, api, { apiName: 'orders', scopes: ['orders:read'] }, 'u', now)),
    ).toBe('conflict');
  });

  it('knows only published and deprecated APIs', () => {
    for (const status of ['draft', 'retired'])
      expect(
        errorCodeOf(() =>
          newAccessRequest(
            app,
            { ...api, lifecycle: { status } } as ApiDefinition,
            { apiName: 'orders' },
            'u',
            now,
          ),
        ),
      ).toBe('not-found');
    expect(errorCodeOf(() => newAccessRequest(app, undefined, { apiName: 'nope' }, 'u', now))).toBe(
      'not-found',
    );
  });

  it('grants the scopes on approval, changes nothing on rejection, and decides once', () => {
    const request = newAccessRequest(app, api, { apiName: 'orders' }, 'user_dev', now);
    const approved = decide(request, app, { approve: true }, operator, 'r1', now);
    expect(approved.request).toMatchObject({ status: 'approved', decidedBy: 'user_ops' });
    expect(approved.app?.scopes).toEqual(['orders:read', 'orders:write']);
    expect(approved.audit).toMatchObject({
      action: 'access-request.approve',
      target: { id: request.requestId },
    });

    const rejected = decide(
      request,
      app,
      { approve: false, reason: 'Not for resale apps' },
      operator,
      'r2',
      now,
    );
    expect(rejected.request).toMatchObject({ status: 'rejected', reason: 'Not for resale apps' });
    expect(rejected.app).toBeUndefined();

    expect(errorCodeOf(() => decide(approved.request, app, { approve: false }, operator, 'r3', now))).toBe(
      'conflict',
    );
    expect(
      errorCodeOf(() =>
        decide(request, { ...app, status: 'disabled' }, { approve: true }, operator, 'r4', now),
      ),
    ).toBe('conflict');
    expect(errorCodeOf(() => decide(undefined, app, { approve: true }, operator, 'r5', now))).toBe(
      'not-found',
    );
  });
});
