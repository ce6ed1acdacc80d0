import { describe, expect, it } from 'vitest';
import { clientResponseHeaders, HeaderFilter, upstreamRequestHeaders } from './headers.ts';

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

describe('built-in stripping going upstream', () => {
  const kept = { accept: 'application/json' };

  it.each([
    ['X-Real-IP', '1.2.3.4'],
    ['True-Client-IP', '1.2.3.4'],
    ['X-Client-IP', '1.2.3.4'],
    ['X-Cluster-Client-IP', '1.2.3.4'],
    ['CF-Connecting-IP', '1.2.3.4'],
    ['Fastly-Client-IP', '1.2.3.4'],
    ['Forwarded', 'for=1.2.3.4'],
    ['X-Forwarded-Host', 'evil.example'],
  ])('drops the client-address claim %s', (name, value) => {
    expect(upstreamRequestHeaders({ ...kept, [name]: value })).toEqual(kept);
  });

  it.each([
    ['X-Original-URL', '/admin'],
    ['X-Rewrite-URL', '/admin'],
    ['X-HTTP-Method-Override', 'DELETE'],
    ['X-Method-Override', 'DELETE'],
  ])('drops %s, which would make the upstream serve another URL or method', (name, value) => {
    expect(upstreamRequestHeaders({ ...kept, [name]: value })).toEqual(kept);
  });

  it.each(['Proxy-Authorization', 'Proxy-Connection', 'Proxy-Authenticate', 'Proxy-Anything'])(
    'drops the proxy header %s',
    (name) => {
      expect(upstreamRequestHeaders({ ...kept, [name]: 'x' })).toEqual(kept);
    },
  );

  it.each([
    ['Expect', '100-continue'],
    ['Host', 'gateway.example'],
    ['Content-Length', '12'],
    ['Transfer-Encoding', 'chunked'],
    ['TE', 'trailers'],
    ['Upgrade', 'websocket'],
    ['Keep-Alive', 'timeout=5'],
    ['Trailer', 'x-checksum'],
  ])('drops %s, which the runtime manages for the next hop', (name, value) => {
    expect(upstreamRequestHeaders({ ...kept, [name]: value })).toEqual(kept);
  });

  it.each(['traceparent', 'tracestate', 'X-Portico-Scopes', 'x-amzn-trace-id', 'X-Amz-Security-Token'])(
    'drops %s, which only the platform may set',
    (name) => {
      expect(upstreamRequestHeaders({ ...kept, [name]: 'spoofed' })).toEqual(kept);
    },
  );

  it('ignores headers with no value', () => {
    expect(upstreamRequestHeaders({ ...kept, 'x-empty': undefined })).toEqual(kept);
  });
});

describe('built-in stripping going back to the caller', () => {
  const kept = { 'content-type': 'application/json' };
  const relayed = (extra: Record<string, string>) =>
    clientResponseHeaders(new Headers({ ...kept, ...extra }));

  it.each([
    ['X-Amzn-RequestId', 'abc'],
    ['x-amzn-Remapped-Authorization', 'Bearer upstream'],
    ['X-Amz-Cf-Id', 'abc'],
    ['X-Amz-Apigw-Id', 'abc'],
  ])('drops the AWS header %s', (name, value) => {
    expect(relayed({ [name]: value })).toEqual(kept);
  });

  it('drops x-portico-* headers, so an upstream cannot pose as the platform', () => {
    expect(relayed({ 'X-Portico-App-Id': 'app_fake', 'x-portico-anything': '1' })).toEqual(kept);
  });

  it.each([
    ['Alt-Svc', 'h3=":443"'],
    ['Content-Length', '999'],
    ['Transfer-Encoding', 'chunked'],
    ['Proxy-Authenticate', 'Basic'],
    ['X-AspNet-Version', '4.0'],
  ])('drops %s', (name, value) => {
    expect(relayed({ [name]: value })).toEqual(kept);
  });

  it('keeps Content-Encoding: the body is relayed as it came', () => {
    expect(relayed({ 'Content-Encoding': 'gzip' })).toEqual({ ...kept, 'content-encoding': 'gzip' });
  });

  it('drops headers the upstream names in Connection', () => {
    expect(relayed({ connection: 'X-Hop', 'x-hop': '1' })).toEqual(kept);
  });

  it('keeps ordinary response headers', () => {
    const ordinary = { 'cache-control': 'no-store', vary: 'accept', 'x-request-id': 'req_1', location: '/a' };
    expect(relayed(ordinary)).toEqual({ ...kept, ...ordinary });
  });
});

describe('HeaderFilter', () => {
  const headers = { accept: 'text/plain', 'content-type': 'application/json', 'x-tenant': 't1' };

  it('passes everything through when nothing is configured', () => {
    expect(new HeaderFilter().apply(headers)).toEqual(headers);
    expect(new HeaderFilter({}).apply(headers)).toEqual(headers);
    expect(new HeaderFilter({ allow: [], deny: [] }).apply(headers)).toEqual(headers);
  });

  it('does not hand back the object it was given', () => {
    expect(new HeaderFilter().apply(headers)).not.toBe(headers);
  });

  it('keeps only allowed headers when the allow list is not empty', () => {
    expect(new HeaderFilter({ allow: ['accept', 'x-tenant'] }).apply(headers)).toEqual({
      accept: 'text/plain',
      'x-tenant': 't1',
    });
  });

  it('removes denied headers', () => {
    expect(new HeaderFilter({ deny: ['x-tenant'] }).apply(headers)).toEqual({
      accept: 'text/plain',
      'content-type': 'application/json',
    });
  });

  it('lets deny win over allow', () => {
    expect(new HeaderFilter({ allow: ['accept', 'x-tenant'], deny: ['x-tenant'] }).apply(headers)).toEqual({
      accept: 'text/plain',
    });
  });

  it('compares names case-insensitively in both the lists and the headers', () => {
    const filter = new HeaderFilter({ allow: ['Content-Type', 'X-TENANT'], deny: ['x-Tenant'] });
    expect(filter.apply({ 'CONTENT-TYPE': 'a', 'X-Tenant': 'b', Accept: 'c' })).toEqual({
      'CONTENT-TYPE': 'a',
    });
  });

  it('applied after the built-in stripping, cannot bring back the caller credentials or platform headers', () => {
    const filter = new HeaderFilter({
      allow: ['authorization', 'cookie', 'x-portico-app-id', 'x-real-ip', 'host', 'accept'],
    });
    const out = filter.apply(
      upstreamRequestHeaders({
        Authorization: 'Bearer secret',
        Cookie: 'session=1',
        'X-Portico-App-Id': 'app_spoofed',
        'X-Real-IP': '1.2.3.4',
        Host: 'gateway.example',
        Accept: 'text/plain',
      }),
    );
    expect(out).toEqual({ accept: 'text/plain' });
  });

  it('applied after the built-in stripping, cannot bring back upstream internals', () => {
    const filter = new HeaderFilter({ allow: ['server', 'set-cookie', 'x-amzn-requestid', 'etag'] });
    const out = filter.apply(
      clientResponseHeaders(
        new Headers({ server: 'nginx', 'set-cookie': 'a=b', 'x-amzn-requestid': 'r', etag: '"1"' }),
      ),
    );
    expect(out).toEqual({ etag: '"1"' });
  });
});
