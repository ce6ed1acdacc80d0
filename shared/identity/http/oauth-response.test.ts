import { describe, expect, it } from 'vitest';
import { ProblemError } from '../../http/problem.ts';
import { OAuthError } from '../oauth.ts';
import { asOAuthError, oauthErrorResponse } from './oauth-response.ts';

describe('OAuth error responses', () => {
  it('answers a dependency outage as temporarily_unavailable, 503, with Retry-After', () => {
    const throttled = Object.assign(new Error('Rate exceeded'), {
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 400 },
    });
    const response = oauthErrorResponse(asOAuthError(throttled)!);
    expect(response.statusCode).toBe(503);
    expect(response.headers).toMatchObject({
      'content-type': 'application/json',
      'cache-control': 'no-store',
    });
    expect(Number(response.headers?.['retry-after'])).toBeGreaterThan(0);
    expect(JSON.parse(response.body!)).toMatchObject({
      error: 'temporarily_unavailable',
      type: 'urn:portico:problem:oauth:temporarily_unavailable',
      status: 503,
    });
    expect(response.body).not.toContain('Rate exceeded');
  });

  it('keeps OAuth errors and client problems, and leaves anything else to the 500 path', () => {
    const grant = new OAuthError('invalid_grant', 'used');
    expect(asOAuthError(grant)).toBe(grant);
    expect(asOAuthError(new ProblemError('payload-too-large'))?.error).toBe('invalid_request');
    expect(asOAuthError(new TypeError('bug'))).toBeUndefined();
  });
});
