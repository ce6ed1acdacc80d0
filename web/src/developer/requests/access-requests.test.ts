import { describe, expect, it } from 'vitest';
import type { AccessRequest } from '../api/my-apps.ts';
import { applyTarget, pendingCount, requestsOfApp } from './access-requests.ts';

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
