import { describe, expect, it } from 'vitest';
import { DomainError } from '../kernel/errors.ts';
import { degradeSettings, validateApiDefinition } from './api-definition.ts';

const base = { name: 'orders', upstreams: [{ url: 'http://up.test' }], timeoutMs: 1000 };

const pointers = (body: unknown): string[] => {
  try {
    validateApiDefinition(body);
  } catch (error) {
    if (error instanceof DomainError)
      return (error.details.errors as { pointer: string }[]).map((e) => e.pointer);
    throw error;
  }
  return [];
};

describe('validateApiDefinition', () => {
  it('fills defaults', () => {
    expect(validateApiDefinition(base)).toMatchObject({
      version: '1',
      authModes: ['token', 'signature'],
      requiredScopes: [],
    });
  });

  it('refuses breaker settings that contradict each other', () => {
    expect(pointers({ ...base, circuitBreaker: { openBaseMs: 10_000, openMaxMs: 5_000 } })).toEqual([
      '/circuitBreaker/openMaxMs',
    ]);
  });

  it('refuses a degrade answer the breaker could not send, and accepts one with a content type', () => {
    const tooBig = { status: 200, body: 'x'.repeat(70_000) };
    expect(pointers({ ...base, degradeResponse: tooBig })).toEqual(['/degradeResponse/body']);
    expect(
      pointers({ ...base, degradeResponse: { status: 200, headers: { 'x-bad name': '1' }, body: {} } }),
    ).not.toEqual([]);
    expect(
      pointers({
        ...base,
        degradeResponse: {
          status: 200,
          headers: { 'Content-Type': 'application/vnd.x+json' },
          body: { a: 1 },
        },
      }),
    ).toEqual([]);
  });
});

describe('degradeSettings', () => {
  it('serialises a JSON body and takes the content type out of the headers', () => {
    expect(
      degradeSettings({
        degradeResponse: {
          status: 200,
          headers: { 'Content-Type': 'application/x', 'x-a': '1' },
          body: { a: 1 },
        },
      }),
    ).toEqual({ status: 200, body: '{"a":1}', contentType: 'application/x', headers: { 'x-a': '1' } });
    expect(degradeSettings({ degradeResponse: { status: 503, body: 'down' } })).toEqual({
      status: 503,
      body: 'down',
      contentType: 'text/plain; charset=utf-8',
    });
    expect(degradeSettings({})).toBeUndefined();
  });
});
