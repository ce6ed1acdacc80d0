import { describe, expect, it } from 'vitest';
import { isApiPath } from './web-paths.ts';

describe('isApiPath', () => {
  it('sends the API surface to the API', () => {
    for (const path of [
      '/oauth2/authorize',
      '/.well-known/jwks.json',
      '/openapi.json',
      '/apis/echo/hello',
      '/v1/apis',
      '/console/v1/apps',
      '/internal/v1/topics/x/messages',
      '/partners/v1/notices',
      '/health/v1/partners/p1',
    ])
      expect(isApiPath(path), path).toBe(true);
  });

  it('leaves the web app its own pages, including the console pages beside the console API', () => {
    for (const path of [
      '/',
      '/apis',
      '/callback',
      '/console',
      '/console/apis/echo',
      '/assets/index-1.js',
      '/openapi.jsonx',
    ])
      expect(isApiPath(path), path).toBe(false);
  });
});
