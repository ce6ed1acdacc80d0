import type { LookupAddress } from 'node:dns';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EGRESS_DENIED, EgressDeniedError, EgressGuard, isEgressDenied } from './guard.ts';
import { DEFAULT_EGRESS_POLICY, parseEgressAllowList } from './policy.ts';
import { FakeResolver } from './testing/fake-resolver.ts';

const resolver = () =>
  new FakeResolver({
    'api.example.com': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
    'metadata.example.com': ['169.254.169.254'],
    'mixed.example.com': ['93.184.215.14', '10.0.0.7'],
    'mapped.example.com': ['::ffff:127.0.0.1'],
    'internal.example.com': ['10.20.0.5'],
    'rebind.example.com': [['93.184.215.14'], ['169.254.169.254']],
    'empty.example.com': [[]],
  });

describe('EgressGuard.check (on write)', () => {
  it('allows a name whose every address is public', async () => {
    const guard = new EgressGuard(DEFAULT_EGRESS_POLICY, resolver());
    expect(await guard.check('https://api.example.com/v1')).toEqual({
      allowed: true,
      host: 'api.example.com',
    });
  });

  it('refuses a name when any address is refused, naming it', async () => {
    const guard = new EgressGuard(DEFAULT_EGRESS_POLICY, resolver());
    expect(await guard.check('http://metadata.example.com/')).toMatchObject({
      allowed: false,
      host: 'metadata.example.com',
      reason: 'resolves to a cloud metadata address (169.254.169.254)',
    });
    expect(await guard.check('http://mixed.example.com/')).toMatchObject({
      allowed: false,
      reason: 'resolves to a private address (10.0.0.7)',
    });
    expect(await guard.check('http://mapped.example.com/')).toMatchObject({
      allowed: false,
      reason: 'resolves to a loopback address (::ffff:7f00:1)',
    });
  });

  it('refuses a name that does not resolve', async () => {
    const guard = new EgressGuard(DEFAULT_EGRESS_POLICY, resolver());
    expect(await guard.check('http://nowhere.example.com/')).toEqual({
      allowed: false,
      host: 'nowhere.example.com',
      reason: 'does not resolve',
    });
    expect(await guard.check('http://empty.example.com/')).toMatchObject({ reason: 'does not resolve' });
  });

  it('decides literal addresses, credentials and schemes without resolving anything', async () => {
    const names = resolver();
    const guard = new EgressGuard(DEFAULT_EGRESS_POLICY, names);
    for (const url of ['http://169.254.169.254/', 'http://[::ffff:169.254.169.254]/', 'http://2852039166/']) {
      expect(await guard.check(url)).toMatchObject({ allowed: false, reason: 'is a cloud metadata address' });
    }
    expect(await guard.check('http://user:pw@api.example.com/')).toMatchObject({
      allowed: false,
      reason: 'may not carry credentials',
    });
    expect(await guard.check('https://8.8.8.8/')).toEqual({ allowed: true, host: '8.8.8.8' });
    expect(names.calls).toEqual([]);
  });

  it('trusts an allow-listed name without resolving it (internal names may not resolve where the console runs)', async () => {
    const names = resolver();
    const guard = new EgressGuard(parseEgressAllowList('internal.example.com,*.svc.example.com'), names);
    expect(await guard.check('http://internal.example.com/')).toMatchObject({ allowed: true });
    expect(await guard.check('http://orders.svc.example.com/')).toMatchObject({ allowed: true });
    expect(names.calls).toEqual([]);
  });

  it('allows internal ranges the allow list names', async () => {
    const guard = new EgressGuard(parseEgressAllowList('10.0.0.0/8'), resolver());
    expect(await guard.check('http://mixed.example.com/')).toMatchObject({ allowed: true });
    expect(await guard.check('http://metadata.example.com/')).toMatchObject({ allowed: false });
  });
});

/** Calls `guard.lookup` as node's sockets do. */
const lookup = (guard: EgressGuard, hostname: string, options: { all?: boolean; family?: number } = {}) =>
  new Promise<{ error: NodeJS.ErrnoException | null; address: string | LookupAddress[]; family?: number }>(
    (resolve) =>
      guard.lookup(hostname, options, (error, address, family) => resolve({ error, address, family })),
  );

describe('EgressGuard.lookup (at connect)', () => {
  it('answers like dns.lookup, with one address or all of them', async () => {
    const guard = new EgressGuard(DEFAULT_EGRESS_POLICY, resolver());
    expect(await lookup(guard, 'api.example.com')).toEqual({
      error: null,
      address: '93.184.215.14',
      family: 4,
    });
    expect(await lookup(guard, 'api.example.com', { family: 6 })).toEqual({
      error: null,
      address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c',
      family: 6,
    });
    expect(await lookup(guard, 'api.example.com', { all: true })).toEqual({
      error: null,
      address: [
        { address: '93.184.215.14', family: 4 },
        { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 },
      ],
    });
  });

  it('fails with EGRESS_DENIED when any address is refused', async () => {
    const guard = new EgressGuard(DEFAULT_EGRESS_POLICY, resolver());
    for (const [host, reason] of [
      ['metadata.example.com', 'resolves to a cloud metadata address (169.254.169.254)'],
      ['mixed.example.com', 'resolves to a private address (10.0.0.7)'],
      ['127.0.0.1', 'is a loopback address'],
    ] as const) {
      const { error } = await lookup(guard, host, { all: true });
      expect(error).toBeInstanceOf(EgressDeniedError);
      expect(error).toMatchObject({ code: EGRESS_DENIED, host, reason });
      expect(isEgressDenied(error)).toBe(true);
    }
  });

  it('passes the resolver error on for a name that does not resolve', async () => {
    const guard = new EgressGuard(DEFAULT_EGRESS_POLICY, resolver());
    expect((await lookup(guard, 'nowhere.example.com')).error).toMatchObject({ code: 'ENOTFOUND' });
    expect((await lookup(guard, 'api.example.com', { family: 4, all: true })).error).toBeNull();
  });

  it('lets an allow-listed name connect wherever it resolves', async () => {
    const guard = new EgressGuard(parseEgressAllowList('internal.example.com'), resolver());
    expect(await lookup(guard, 'internal.example.com')).toEqual({
      error: null,
      address: '10.20.0.5',
      family: 4,
    });
  });

  it('catches DNS rebinding: public on write, the metadata service at connect', async () => {
    const guard = new EgressGuard(DEFAULT_EGRESS_POLICY, resolver());
    expect(await guard.check('http://rebind.example.com/')).toMatchObject({ allowed: true });
    const { error } = await lookup(guard, 'rebind.example.com', { all: true });
    expect(error).toMatchObject({ code: EGRESS_DENIED, reason: expect.stringMatching(/metadata/) });
  });
});

describe('EgressGuard.lookup on a real socket', () => {
  let server: http.Server;
  let port = 0;
  beforeAll(async () => {
    server = http.createServer((_, res) => res.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const get = (guard: EgressGuard, host: string) =>
    new Promise<number | NodeJS.ErrnoException>((resolve) => {
      const request = http.get({ host, port, path: '/', lookup: guard.lookup, agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      request.on('error', resolve);
    });

  it('is what node uses to connect: refused names never open a socket', async () => {
    const rebinding = new FakeResolver({ 'up.test': [['127.0.0.1'], ['127.0.0.1'], ['169.254.169.254']] });
    const guard = new EgressGuard(parseEgressAllowList('127.0.0.0/8'), rebinding);
    let connections = 0;
    server.on('connection', () => connections++);
    expect(await get(guard, 'up.test')).toBe(200);
    expect(await get(guard, 'up.test')).toBe(200);
    expect(connections).toBe(2);
    expect(await get(guard, 'up.test')).toMatchObject({ code: EGRESS_DENIED });
    expect(connections).toBe(2);
    const loopbackOnly = new FakeResolver({ 'up.test': ['127.0.0.1'] });
    expect(await get(new EgressGuard(DEFAULT_EGRESS_POLICY, loopbackOnly), 'up.test')).toMatchObject({
      code: EGRESS_DENIED,
    });
    expect(connections).toBe(2);
  });
});
