import { describe, expect, it } from 'vitest';
import { assertPolicy, dimensionKey, policyProblem, rulesFor } from './policy.ts';

describe('dimensionKey', () => {
  it('names each dimension and URI-encodes its parts so they cannot run together', () => {
    expect(dimensionKey('app', { appId: 'a1' })).toBe('app#a1');
    expect(dimensionKey('api', { api: 'echo' })).toBe('api#echo');
    expect(dimensionKey('app-api', { appId: 'a1', api: 'echo' })).toBe('app-api#a1#echo');
    expect(dimensionKey('ip', { ip: '2001:db8::1' })).toBe('ip#2001%3Adb8%3A%3A1');
    expect(dimensionKey('app', { appId: 'a#b' })).toBe('app#a%23b');
  });

  it('refuses a key without the part its dimension is about', () => {
    expect(() => dimensionKey('app-api', { appId: 'a1' })).toThrow(/api/);
    expect(() => dimensionKey('ip', {})).toThrow(/ip/);
  });
});

describe('policies', () => {
  it('accepts integer limits and windows within the API definition bounds', () => {
    expect(policyProblem({ limit: 100, windowSeconds: 1 })).toBeUndefined();
    expect(policyProblem({ limit: 1_000_000, windowSeconds: 86_400 })).toBeUndefined();
    expect(policyProblem({ limit: 0, windowSeconds: 1 })).toMatch(/limit/);
    expect(policyProblem({ limit: 1.5, windowSeconds: 1 })).toMatch(/limit/);
    expect(policyProblem({ limit: 10, windowSeconds: 0 })).toMatch(/windowSeconds/);
    expect(policyProblem({ limit: 10, windowSeconds: 86_401 })).toMatch(/windowSeconds/);
    expect(policyProblem(null)).toMatch(/object/);
    expect(() => assertPolicy({ limit: -1, windowSeconds: 1 })).toThrow(/invalid rate-limit policy/);
  });

  it('takes an optional burst within the same bounds', () => {
    expect(policyProblem({ limit: 10, windowSeconds: 1, burst: 50 })).toBeUndefined();
    expect(policyProblem({ limit: 10, windowSeconds: 1, burst: 0 })).toMatch(/burst/);
    expect(policyProblem({ limit: 10, windowSeconds: 1, burst: 2.5 })).toMatch(/burst/);
  });
});

describe('rulesFor', () => {
  const api = {
    app: { limit: 100, windowSeconds: 1 },
    api: { limit: 5000, windowSeconds: 1 },
    appApi: { limit: 50, windowSeconds: 1 },
    ip: { limit: 20, windowSeconds: 1 },
  };

  it('applies every dimension the API sets, named by dimension', () => {
    const rules = rulesFor({ appId: 'a1', api: 'echo', ip: '10.0.0.1' }, { api });
    expect(rules.map((r) => [r.name, r.key, r.policy.limit])).toEqual([
      ['app', 'app#a1', 100],
      ['api', 'api#echo', 5000],
      ['app-api', 'app-api#a1#echo', 50],
      ['ip', 'ip#10.0.0.1', 20],
    ]);
  });

  it("lets an app's own settings replace the API's for the app dimensions only", () => {
    const app = {
      app: { limit: 1000, windowSeconds: 1 },
      appApi: { limit: 500, windowSeconds: 1 },
      api: { limit: 1, windowSeconds: 1 },
      ip: { limit: 1, windowSeconds: 1 },
    };
    const limits = rulesFor({ appId: 'a1', api: 'echo', ip: '10.0.0.1' }, { api, app }).map((r) => [
      r.name,
      r.policy.limit,
    ]);
    expect(limits).toEqual([
      ['app', 1000],
      ['api', 5000],
      ['app-api', 500],
      ['ip', 20],
    ]);
  });

  it('skips dimensions whose key part is unknown, and refuses invalid policies', () => {
    expect(rulesFor({ api: 'echo' }, { api }).map((r) => r.name)).toEqual(['api']);
    expect(() => rulesFor({ api: 'echo' }, { api: { api: { limit: 0, windowSeconds: 1 } } })).toThrow();
  });
});
