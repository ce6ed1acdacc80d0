import { describe, expect, it } from 'vitest';
import { sandboxBaseUrl } from './sandbox-base-url.ts';

describe('the sandbox base URL', () => {
  it('keeps a server on this origin', () => {
    expect(sandboxBaseUrl('http://127.0.0.1:3000/apis/echo', 'http://127.0.0.1:3000')).toBe(
      'http://127.0.0.1:3000/apis/echo',
    );
  });

  it('calls another origin’s server through the same path on this origin', () => {
    expect(sandboxBaseUrl('https://api.portico.dev/apis/orders/', 'https://developer.portico.dev')).toBe(
      'https://developer.portico.dev/apis/orders',
    );
    expect(sandboxBaseUrl('/apis/orders', 'https://developer.portico.dev')).toBe(
      'https://developer.portico.dev/apis/orders',
    );
  });

  it('falls back to this origin without a server', () => {
    expect(sandboxBaseUrl(undefined, 'https://developer.portico.dev')).toBe('https://developer.portico.dev');
  });
});
