import { describe, expect, it } from 'vitest';
import { RouteTable } from './http-routes.ts';

describe('RouteTable', () => {
  const table = new RouteTable<string>();
  for (const key of [
    'POST /oauth2/token',
    'GET /console/v1/apps/{appId}',
    'ANY /apis/{apiName}/{path+}',
    'ANY /apis/{apiName}',
    'ANY /{proxy+}',
    'GET /apis/special/{path+}',
  ]) {
    table.add(key, key);
  }
  table.add('$default', '$default');

  it.each([
    ['POST', '/oauth2/token', 'POST /oauth2/token', {}],
    ['GET', '/oauth2/token', 'ANY /{proxy+}', { proxy: 'oauth2/token' }],
    ['GET', '/console/v1/apps/app_1', 'GET /console/v1/apps/{appId}', { appId: 'app_1' }],
    ['DELETE', '/apis/echo/a/b%20c', 'ANY /apis/{apiName}/{path+}', { apiName: 'echo', path: 'a/b c' }],
    ['GET', '/apis/echo', 'ANY /apis/{apiName}', { apiName: 'echo' }],
    ['GET', '/apis/special/x', 'GET /apis/special/{path+}', { path: 'x' }],
    ['POST', '/apis/special/x', 'ANY /apis/{apiName}/{path+}', { apiName: 'special', path: 'x' }],
    ['GET', '/', '$default', {}],
  ])('%s %s → %s', (method, path, routeKey, params) => {
    const match = table.match(method, path);
    expect(match?.routeKey).toBe(routeKey);
    expect(match?.pathParameters).toEqual(params);
  });
});
