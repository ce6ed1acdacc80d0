import type { Context } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { httpHandler } from '../http/middleware.ts';
import type { HttpResult } from '../http/types.ts';
import { canonicalPath as signedPath } from '../identity/request-signing.ts';
import { createLogger } from '../observability.ts';
import type { ApiRoute } from './api-definition.ts';
import { canonicalPath } from './canonical-path.ts';
import { invokeGateway } from './http/api-gateway.ts';
import type { UpstreamTransport } from './ports.ts';
import { RouteTable } from './route-table.ts';
import { gatewayEvent, inMemoryGateway } from './testing/in-memory-gateway.ts';

const ROUTES: ApiRoute[] = [
  { method: 'GET', path: '/public/{rest+}' },
  { method: 'GET', path: '/admin/{rest+}' },
  { method: 'GET', path: '/{a}/{b}' },
];
const table = new RouteTable(ROUTES);

/** Pieces that make paths hostile: dot segments raw and escaped, escaped slashes, unicode, bad escapes. */
const piece = fc.constantFrom(
  'public',
  'admin',
  'x',
  '',
  '.',
  '..',
  '%2e',
  '%2E%2e',
  '%2f',
  '%2F',
  '%5c',
  '\\',
  '%61dmin',
  '%41',
  '%7e',
  '~',
  'é',
  '%C3%A9',
  '%c3%a9',
  ';',
  'admin;x=1',
  '%3B',
  '%',
  '%zz',
  '%0a',
  '\t',
  ' ',
  '@',
  ':',
  '"',
  '{}',
  '%00',
  '😀',
);
const rawPath = fc.array(piece, { maxLength: 6 }).map((parts) => `/${parts.join('/')}`);

/** The path an upstream sees once a WHATWG URL parser (Node's, browsers', most frameworks') reads it. */
const upstreamPathname = (path: string) => new URL(`http://upstream.test/base${path}`).pathname;

describe('canonicalPath', () => {
  it.each([
    ['/', '/'],
    ['', '/'],
    ['/orders/7', '/orders/7'],
    ['/orders/7/', '/orders/7/'],
    ['/%61dmin/x', '/admin/x'],
    ['/a%7eb', '/a~b'],
    ['/caf%c3%a9', '/caf%C3%A9'],
    ['/café', '/caf%C3%A9'],
    ['/a b', '/a%20b'],
    ["/it's:@!$&()*+,=", "/it's:@!$&()*+,="],
    ['/q%3Fx', '/q%3Fx'],
  ])('canonicalises %j as %j', (raw, expected) => {
    expect(canonicalPath(raw)).toEqual({ ok: true, path: expected });
  });

  it.each([
    '//public/admin/x',
    '/public//admin',
    '/a/../admin',
    '/a/./b',
    '/%2e%2e/admin',
    '/.%2E/admin',
    '/a%2fb',
    '/a%5Cb',
    '/a\\b',
    '/admin;x=1/y',
    '/a%zz',
    '/a%',
    '/a%0d%0aX: y',
    '/a%00',
    'relative',
  ])('refuses %j', (raw) => {
    const result = canonicalPath(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/^The path /);
  });

  it('is what the upstream parser reads, idempotent, and matches the route the upstream would resolve', () => {
    fc.assert(
      fc.property(rawPath, (raw) => {
        const result = canonicalPath(raw);
        if (!result.ok) return;
        const { path } = result;
        expect(canonicalPath(path)).toEqual(result);
        const seen = upstreamPathname(path);
        expect(seen).toBe(`/base${path}`);
        // The upstream routes on its own view, decoded segment by segment.
        const upstreamRoute = table.match('GET', seen.slice('/base'.length))?.route;
        expect(upstreamRoute).toBe(table.match('GET', path)?.route);
        const decoded = seen
          .slice('/base'.length)
          .split('/')
          .map((s) => decodeURIComponent(s));
        expect(decoded.includes('.') || decoded.includes('..')).toBe(false);
        expect(decoded.slice(1, -1).includes('')).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });

  it('names the same bytes a request signature covers: what is forwarded is what was signed', () => {
    // The signature binds each segment's decoded bytes (line 3 of the canonical string); the gateway
    // may escape a reserved character differently (`:` vs `%3A`), never change a byte.
    fc.assert(
      fc.property(rawPath, (raw) => {
        const result = canonicalPath(raw);
        if (result.ok) expect(signedPath(result.path)).toBe(signedPath(raw));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('the gateway with hostile paths', () => {
  it('forwards exactly the canonical path, or refuses with 400 and forwards nothing', async () => {
    const forwarded: string[] = [];
    const transport: UpstreamTransport = async (call) => {
      forwarded.push(call.url.pathname);
      return { status: 200, headers: {}, body: Buffer.from('{}'), upstreamLatencyMs: 1 };
    };
    const platform = await inMemoryGateway({ transport });
    await platform.put({
      name: 'probe',
      upstreams: [{ url: 'http://upstream.test/base' }],
      routes: ROUTES.map((r, i) => (i === 1 ? { ...r, requiredScopes: ['probe:admin'] } : r)),
    });
    const app = await platform.newApp(['probe:read']);
    const token = await platform.tokenFor(app);
    const logger = createLogger('canonical-path-test');
    logger.setLogLevel('SILENT');
    const handler = httpHandler(logger, invokeGateway(platform.gateway));
    const context = { awsRequestId: 'ctx', functionName: 'gateway' } as Context;

    await fc.assert(
      fc.asyncProperty(rawPath, async (raw) => {
        forwarded.length = 0;
        const result = (await handler(
          gatewayEvent('GET', 'probe', raw, { headers: { authorization: `Bearer ${token}` } }),
          context,
        )) as HttpResult;
        const canonical = canonicalPath(raw);
        if (!canonical.ok) {
          expect(result.statusCode).toBe(400);
          expect(forwarded).toEqual([]);
          return;
        }
        expect(result.statusCode).toBeLessThan(500);
        const route = table.match('GET', canonical.path)?.route;
        if (route === ROUTES[1]) expect(result.statusCode).toBe(403);
        for (const pathname of forwarded) {
          expect(pathname).toBe(`/base${canonical.path}`);
          expect(table.match('GET', pathname.slice('/base'.length))?.route).not.toBe(ROUTES[1]);
        }
      }),
      { numRuns: 400 },
    );
  });
});
