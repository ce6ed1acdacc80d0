import { describe, expect, it } from 'vitest';
import { clientResponseHeaders, upstreamRequestHeaders } from './headers.ts';

describe('header filtering', () => {
  it('strips credentials, hop-by-hop headers and spoofed identity going upstream', () => {
    const out = upstreamRequestHeaders({
      Authorization: 'Bearer secret',
      Connection: 'keep-alive, X-Custom-Hop',
      'x-custom-hop': 'drop me',
      'X-Portico-App-Id': 'app_spoofed',
      'X-Forwarded-For': '1.2.3.4',
      Cookie: 'session=1',
      'Content-Type': 'application/json',
      Accept: 'text/plain',
    });
    expect(out).toEqual({ 'content-type': 'application/json', accept: 'text/plain' });
  });

  it('hides upstream internals going back to the caller', () => {
    const out = clientResponseHeaders(
      new Headers({
        server: 'nginx/1.2',
        'x-powered-by': 'php',
        'set-cookie': 'a=b',
        'content-type': 'text/plain',
        etag: '"1"',
      }),
    );
    expect(out).toEqual({ 'content-type': 'text/plain', etag: '"1"' });
  });
});
