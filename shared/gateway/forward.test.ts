import { describe, expect, it } from 'vitest';
import { DomainError } from '../kernel/errors.ts';
import { upstreamUrl } from './forward.ts';

describe('upstreamUrl', () => {
  it('joins base path, request path and query', () => {
    expect(upstreamUrl('http://up:8080/base/', '/a/b%20c', 'x=1&y=2').toString()).toBe(
      'http://up:8080/base/a/b%20c?x=1&y=2',
    );
    expect(upstreamUrl('http://up', '', '').toString()).toBe('http://up/');
  });

  it.each(['/../admin', '/a/%2e%2e/admin', '/a/.', '/a%2fb', '/a\\b', '/%2E./x'])('refuses %s', (path) => {
    expect(() => upstreamUrl('http://up/base', path, '')).toThrow(DomainError);
  });
});
