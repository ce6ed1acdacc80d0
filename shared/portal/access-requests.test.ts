import { describe, expect, it } from 'vitest';
import type { ApiDefinition } from '../gateway/api-definition.ts';
import type { App } from '../identity/model.ts';
import { errorCodeOf } from '../kernel/testing/error-code.ts';
import { decide, newAccessRequest, scopesOfApi, validateNewAccessRequest } from './access-requests.ts';

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

  it('asks for a rate-limit plan, alone or with scopes, and approval sets only the dimensions asked', () => {
    const plan = { appApi: { limit: 600, windowSeconds: 60 } };
    const onlyPlan = newAccessRequest(
      { ...app, scopes: ['orders:read', 'orders:write'] },
      api,
      { apiName: 'orders', rateLimits: plan },
      'user_dev',
      now,
    );
    expect(onlyPlan).toMatchObject({ scopes: [], rateLimits: plan });
    // Without scopes named, the plan comes with every scope the app lacks; `[]` asks for the plan alone.
    expect(newAccessRequest(app, api, { apiName: 'orders', rateLimits: plan }, 'u', now)).toMatchObject({
      scopes: ['orders:write'],
      rateLimits: plan,
    });
    expect(
      newAccessRequest(app, api, { apiName: 'orders', scopes: [], rateLimits: plan }, 'u', now),
    ).toMatchObject({ scopes: [], rateLimits: plan });
    expect(errorCodeOf(() => newAccessRequest(app, api, { apiName: 'orders', scopes: [] }, 'u', now))).toBe(
      'validation-failed',
    );
    const withScopes = newAccessRequest(
      app,
      api,
      { apiName: 'orders', scopes: ['orders:write'], rateLimits: plan },
      'user_dev',
      now,
    );
    expect(withScopes).toMatchObject({ scopes: ['orders:write'], rateLimits: plan });

    const holder = { ...app, rateLimits: { app: { limit: 10, windowSeconds: 1 } } };
    const approved = decide(withScopes, holder, { approve: true }, operator, 'r1', now);
    expect(approved.app).toMatchObject({
      scopes: ['orders:read', 'orders:write'],
      rateLimits: { app: { limit: 10, windowSeconds: 1 }, appApi: { limit: 600, windowSeconds: 60 } },
    });
    expect(approved.audit).toMatchObject({
      before: { rateLimits: { app: { limit: 10, windowSeconds: 1 } } },
      after: { rateLimits: { appApi: { limit: 600, windowSeconds: 60 } } },
    });
    const rejected = decide(withScopes, holder, { approve: false }, operator, 'r2', now);
    expect(rejected.app).toBeUndefined();
  });

  it('refuses a plan that is empty or beyond the policy bounds', () => {
    for (const rateLimits of [
      {},
      { app: { limit: 0, windowSeconds: 1 } },
      { other: { limit: 1, windowSeconds: 1 } },
    ])
      expect(errorCodeOf(() => validateNewAccessRequest({ apiName: 'orders', rateLimits }))).toBe(
        'validation-failed',
      );
  });
});
