import { describe, expect, it } from 'vitest';
import type { CatalogEntry } from '../../api/portal.ts';
import type { AccessRequest, AppSummary } from '../api/my-apps.ts';
import {
  applyTarget,
  askedForHint,
  missingScopes,
  newAccessRequest,
  pendingCount,
  requestsOfApp,
} from './access-requests.ts';

const request = (requestId: string, appId: string, status: AccessRequest['status']): AccessRequest => ({
  requestId,
  appId,
  appName: appId,
  apiName: 'echo',
  scopes: ['echo:read'],
  status,
  createdAt: '2030-01-01T10:00:00Z',
});

describe('access requests', () => {
  const inbox = [
    request('r3', 'a', 'pending'),
    request('r2', 'b', 'approved'),
    request('r1', 'a', 'rejected'),
  ];

  it('keeps one app’s requests in order', () => {
    expect(requestsOfApp(inbox, 'a').map((r) => r.requestId)).toEqual(['r3', 'r1']);
  });

  it('counts the pending ones', () => {
    expect(pendingCount(inbox)).toBe(1);
  });
});

describe('applyTarget', () => {
  it('reads the API named by ?apply=', () => {
    expect(applyTarget('?apply=echo')).toBe('echo');
    expect(applyTarget('apply=sample-orders&x=1')).toBe('sample-orders');
    expect(applyTarget('')).toBeUndefined();
    expect(applyTarget('?apply=')).toBeUndefined();
    expect(applyTarget('?apply=..%2Fadmin')).toBeUndefined();
  });
});

describe('newAccessRequest', () => {
  const plan = { appApi: { limit: 600, windowSeconds: 60 } };

  it('names the API, and the plan when one is given: the platform picks the scopes the app lacks', () => {
    expect(newAccessRequest('echo', undefined, '')).toEqual({ apiName: 'echo' });
    expect(newAccessRequest('echo', undefined, '  for the shop  ')).toEqual({
      apiName: 'echo',
      note: 'for the shop',
    });
    expect(newAccessRequest('echo', plan, 'more calls')).toEqual({
      apiName: 'echo',
      rateLimits: plan,
      note: 'more calls',
    });
  });
});

describe('what a request asks for', () => {
  const api = (requiredScopes: string[]): CatalogEntry => ({
    name: 'echo',
    version: '1',
    status: 'published',
    authModes: ['token'],
    requiredScopes,
    document: '/v1/apis/echo/openapi.json',
  });
  const app = (scopes: string[]): AppSummary => ({
    appId: 'app_1',
    name: 'Shop',
    scopes,
    status: 'active',
    createdAt: '2030-01-01T10:00:00Z',
  });

  it('lists the scopes the app lacks', () => {
    expect(missingScopes(api(['echo:read', 'echo:write']), app(['echo:read']))).toEqual(['echo:write']);
    expect(missingScopes(api(['echo:read']), undefined)).toEqual([]);
    expect(missingScopes(undefined, app([]))).toEqual([]);
  });

  it('is said under the API, with a plan and without', () => {
    expect(askedForHint(undefined, app([]), false)).toBe('The API your app needs to call.');
    expect(askedForHint(api(['echo:read']), app([]), false)).toBe('Asks for echo:read.');
    expect(askedForHint(api(['echo:read']), app([]), true)).toBe(
      'Asks for echo:read and the rate-limit plan.',
    );
    expect(askedForHint(api(['echo:read']), undefined, true)).toBe(
      'Asks for echo:read and the rate-limit plan.',
    );
    expect(askedForHint(api(['echo:read']), app(['echo:read']), false)).toBe('Shop already holds echo:read.');
    expect(askedForHint(api(['echo:read']), app(['echo:read']), true)).toBe(
      'Shop already holds echo:read: the request asks for the plan alone.',
    );
    expect(askedForHint(api([]), app([]), false)).toBe(
      'echo names no scope of its own: the request asks for the scopes of its operations.',
    );
    expect(askedForHint(api([]), app([]), true)).toBe(
      'echo names no scope of its own: the request asks for the scopes of its operations the app lacks, and the plan.',
    );
  });
});
