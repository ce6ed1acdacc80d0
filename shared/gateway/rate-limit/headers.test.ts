import { describe, expect, it } from 'vitest';
import { policyField, rateLimitField, sfString } from './headers.ts';

describe('RateLimit header fields (draft-ietf-httpapi-ratelimit-headers)', () => {
  it('serialises policies as a structured-field list of named items with q and w', () => {
    expect(policyField([{ name: 'app', quota: 100, windowSeconds: 1 }])).toBe('"app";q=100;w=1');
    expect(
      policyField([
        { name: 'app', quota: 100, windowSeconds: 1 },
        { name: 'ip', quota: 1000, windowSeconds: 60 },
      ]),
    ).toBe('"app";q=100;w=1, "ip";q=1000;w=60');
  });

  it('serialises service limits with r and t, never negative', () => {
    expect(
      rateLimitField([
        { name: 'app', remaining: 37, resetSeconds: 1 },
        { name: 'app-api', remaining: -2, resetSeconds: 0 },
      ]),
    ).toBe('"app";r=37;t=1, "app-api";r=0;t=0');
  });

  it('escapes sf-strings and refuses what they cannot carry', () => {
    expect(sfString('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(() => sfString('é')).toThrow();
  });
});
