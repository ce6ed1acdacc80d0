import { isIP } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AddressClass,
  checkAddress,
  checkUrl,
  classifyAddress,
  DEFAULT_EGRESS_POLICY,
  EgressAllowListError,
  formatIpAddress,
  parseEgressAllowList,
  parseIpAddress,
} from './policy.ts';

const classOf = (text: string): AddressClass | 'unparsed' => {
  const ip = parseIpAddress(text);
  return ip ? classifyAddress(ip) : 'unparsed';
};

describe('parseIpAddress', () => {
  it.each([
    ['169.254.169.254', '169.254.169.254'],
    ['2852039166', '169.254.169.254'],
    ['0251.0376.0251.0376', '169.254.169.254'],
    ['0xa9fea9fe', '169.254.169.254'],
    ['0xA9.0xFE.0xA9.0xFE', '169.254.169.254'],
    ['169.254.43518', '169.254.169.254'],
    ['169.16689662', '169.254.169.254'],
    ['127.1', '127.0.0.1'],
    ['0x7f.1', '127.0.0.1'],
    ['0177.0.0.1', '127.0.0.1'],
    ['0', '0.0.0.0'],
    ['10.0.0.1.', '10.0.0.1'],
    ['::ffff:169.254.169.254', '::ffff:a9fe:a9fe'],
    ['[::ffff:a9fe:a9fe]', '::ffff:a9fe:a9fe'],
    ['0:0:0:0:0:ffff:a9fe:a9fe', '::ffff:a9fe:a9fe'],
    ['fe80::1%eth0', 'fe80::1'],
    ['FD00:EC2::254', 'fd00:ec2::254'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['::', '::'],
    ['::1', '::1'],
  ])('reads %s as %s', (text, canonical) => {
    const ip = parseIpAddress(text);
    expect(ip).toBeDefined();
    expect(formatIpAddress(ip!)).toBe(canonical);
  });

  it.each([
    'example.com',
    '1.2.3.4.5',
    '256.1.1.1',
    '1.256.1.1',
    '1.2.65536',
    '4294967296',
    '08.1.1.1',
    '0x1g',
    '1..2',
    'localhost',
    'fe80:::1',
    '[::1',
    '1:2:3:4:5:6:7:8::',
    '::1:2:3:4:5:6:7:8',
    '1:2:3:4::5:6:7:8',
    '1.2.3.4::',
  ])('reads %s as no address', (text) => {
    expect(parseIpAddress(text)).toBeUndefined();
  });
  it('reads as IPv6 exactly what net.isIP does, to the same value', () => {
    const token = fc.oneof(fc.stringMatching(/^[0-9a-fA-F]{1,5}$/), fc.ipV4(), fc.constant(''));
    const joined = fc.array(token, { maxLength: 10 }).map((tokens) => tokens.join(':'));
    const characters = fc.stringMatching(/^[0-9a-fA-F:.]{0,45}$/);
    fc.assert(
      fc.property(fc.oneof(fc.ipV6(), joined, characters), (text) => {
        fc.pre(text.includes(':'));
        const ip = parseIpAddress(text);
        expect(ip !== undefined, text).toBe(isIP(text) === 6);
        if (ip) expect(parseIpAddress(formatIpAddress(ip))).toEqual(ip);
      }),
      { numRuns: 3_000 },
    );
  });
});

describe('classifyAddress', () => {
  it.each<[AddressClass, string[]]>([
    [
      'metadata',
      [
        '169.254.169.254',
        '169.254.170.2',
        '169.254.169.253',
        '100.100.100.200',
        'fd00:ec2::254',
        'fd00:ec2::23',
        '::ffff:169.254.169.254',
        '::ffff:a9fe:a9fe',
        '::169.254.169.254',
        '64:ff9b::169.254.169.254',
        '64:ff9b::a9fe:a9fe',
        '2002:a9fe:a9fe::',
        '2002:a9fe:a9fe:1::5',
        '2852039166',
        '0251.0376.0251.0376',
        '0xa9fea9fe',
      ],
    ],
    [
      'loopback',
      [
        '127.0.0.1',
        '127.255.255.254',
        '::1',
        '::ffff:127.0.0.1',
        '::127.0.0.1',
        '64:ff9b::7f00:1',
        '2002:7f00:1::',
        '127.1',
        '0x7f.1',
        '2130706433',
      ],
    ],
    [
      'private',
      [
        '10.0.0.1',
        '172.16.0.1',
        '172.31.255.255',
        '192.168.1.1',
        'fc00::1',
        'fd12:3456::1',
        'fec0::1',
        '::ffff:10.0.0.1',
        '::ffff:c0a8:101',
        '64:ff9b::10.1.2.3',
        '2002:c0a8:101::1',
      ],
    ],
    ['link-local', ['169.254.0.1', '169.254.1.1', 'fe80::1', 'febf::1', '::ffff:169.254.1.1']],
    ['cgnat', ['100.64.0.1', '100.127.255.255', '::ffff:100.64.0.1']],
    ['multicast', ['224.0.0.1', '239.255.255.255', 'ff02::1', 'ff0e::1', '::ffff:224.0.0.1']],
    ['unspecified', ['0.0.0.0', '0.1.2.3', '::', '0', '::ffff:0.0.0.0']],
    [
      'reserved',
      [
        '192.0.0.8',
        '192.0.2.1',
        '198.18.0.1',
        '198.51.100.1',
        '203.0.113.1',
        '240.0.0.1',
        '255.255.255.255',
        '2001:db8::1',
        '2001::1',
        '2001:0:4136:e378:8000:63bf:3fff:fdd2',
        '100::1',
        '64:ff9b:1::1',
        '3fff::1',
        '::8.8.8.8',
        '::ffff:0:8.8.8.8',
        '4000::1',
        '1::1',
      ],
    ],
    [
      'public',
      [
        '8.8.8.8',
        '1.1.1.1',
        '93.184.215.14',
        '172.32.0.1',
        '100.128.0.1',
        '169.255.0.1',
        '2606:4700::1111',
        '2a00:1450:4001::200e',
        '::ffff:8.8.8.8',
        '64:ff9b::808:808',
        '2002:808:808::1',
      ],
    ],
  ])('classifies as %s: %j', (expected, addresses) => {
    for (const address of addresses) expect([address, classOf(address)]).toEqual([address, expected]);
  });
});

describe('parseEgressAllowList', () => {
  it('reads CIDRs, addresses, names, wildcards and loopback, separated by commas or spaces', () => {
    const policy = parseEgressAllowList(
      ' 10.20.0.0/16, fd12::/16 192.168.5.5,internal.example.com,*.corp.example.com., Loopback ',
    );
    expect(policy.networks.map((n) => `${formatIpAddress(n)}/${n.prefix}`)).toEqual([
      '10.20.0.0/16',
      'fd12::/16',
      '192.168.5.5/32',
      '127.0.0.0/8',
      '::1/128',
    ]);
    expect([...policy.hosts]).toEqual(['internal.example.com']);
    expect(policy.domains).toEqual(['.corp.example.com']);
  });

  it('is empty for an empty setting', () => {
    expect(parseEgressAllowList('')).toEqual({ networks: [], hosts: new Set(), domains: [] });
    expect(parseEgressAllowList(' , ')).toEqual(DEFAULT_EGRESS_POLICY);
  });

  it.each([
    '10.0.0.0/33',
    '::/129',
    '10.0.0.0/8/1',
    '10.0.0.0/x',
    '10.1',
    '0x7f.1',
    'bad_name!',
    'host/24',
    '*.',
    '-x.example',
  ])('refuses %s', (entry) => {
    expect(() => parseEgressAllowList(`10.0.0.0/8,${entry}`)).toThrow(EgressAllowListError);
    expect(() => parseEgressAllowList(entry)).toThrow(entry);
  });
});

describe('checkAddress', () => {
  const internal = parseEgressAllowList(
    '10.20.0.0/16,fd12::/16,internal.example.com,*.corp.example.com,loopback',
  );

  it('allows public addresses under the default policy and refuses the rest, saying why', () => {
    expect(checkAddress('8.8.8.8', DEFAULT_EGRESS_POLICY)).toEqual({ allowed: true });
    expect(checkAddress('169.254.169.254', DEFAULT_EGRESS_POLICY)).toEqual({
      allowed: false,
      addressClass: 'metadata',
      reason: 'is a cloud metadata address',
    });
    expect(checkAddress('169.254.10.1', DEFAULT_EGRESS_POLICY, 'api.example.com')).toEqual({
      allowed: false,
      addressClass: 'link-local',
      reason: 'resolves to a link-local address (169.254.10.1)',
    });
    expect(checkAddress('127.0.0.1', DEFAULT_EGRESS_POLICY)).toMatchObject({
      reason: 'is a loopback address',
    });
    expect(checkAddress('nonsense', DEFAULT_EGRESS_POLICY, 'x.example')).toMatchObject({ allowed: false });
  });

  it('allows what the allow list names, in every form of the address', () => {
    for (const address of [
      '10.20.1.1',
      '::ffff:10.20.1.1',
      '64:ff9b::a14:101',
      'fd12::5',
      '127.0.0.1',
      '::1',
      '::ffff:127.0.0.1',
    ]) {
      expect([address, checkAddress(address, internal).allowed]).toEqual([address, true]);
    }
    for (const address of ['10.21.0.1', '192.168.1.1', 'fd13::1', '169.254.1.1']) {
      expect([address, checkAddress(address, internal).allowed]).toEqual([address, false]);
    }
  });

  it('lets an allow-listed name reach whatever it resolves to', () => {
    expect(checkAddress('10.99.0.1', internal, 'internal.example.com').allowed).toBe(true);
    expect(checkAddress('10.99.0.1', internal, 'INTERNAL.example.com.').allowed).toBe(true);
    expect(checkAddress('10.99.0.1', internal, 'db.eu.corp.example.com').allowed).toBe(true);
    expect(checkAddress('10.99.0.1', internal, 'corp.example.com').allowed).toBe(false);
    expect(checkAddress('10.99.0.1', internal, 'evilcorp.example.com').allowed).toBe(false);
    expect(checkAddress('10.99.0.1', internal, 'other.example.com').allowed).toBe(false);
  });

  it('opens a metadata endpoint only for an entry naming that very address', () => {
    const broad = parseEgressAllowList('169.254.0.0/16,fd00::/8,0.0.0.0/0');
    expect(checkAddress('169.254.1.1', broad).allowed).toBe(true);
    expect(checkAddress('169.254.169.254', broad).allowed).toBe(false);
    expect(checkAddress('::ffff:169.254.169.254', broad).allowed).toBe(false);
    expect(checkAddress('fd00:ec2::254', broad).allowed).toBe(false);
    const exact = parseEgressAllowList('169.254.169.254');
    expect(checkAddress('169.254.169.254', exact).allowed).toBe(true);
    expect(checkAddress('::ffff:a9fe:a9fe', exact).allowed).toBe(true);
  });
});

describe('checkUrl', () => {
  const refused = (url: string) => checkUrl(url, DEFAULT_EGRESS_POLICY);

  it.each([
    ['http://169.254.169.254/', 'is a cloud metadata address'],
    ['http://169.254.169.254/latest/meta-data/iam/', 'is a cloud metadata address'],
    ['http://[::ffff:169.254.169.254]/', 'is a cloud metadata address'],
    ['http://[::ffff:a9fe:a9fe]/', 'is a cloud metadata address'],
    ['http://[0:0:0:0:0:ffff:a9fe:a9fe]/', 'is a cloud metadata address'],
    ['http://[::169.254.169.254]/', 'is a cloud metadata address'],
    ['http://[64:ff9b::a9fe:a9fe]/', 'is a cloud metadata address'],
    ['http://[2002:a9fe:a9fe::1]/', 'is a cloud metadata address'],
    ['http://[fd00:ec2::254]/', 'is a cloud metadata address'],
    ['http://2852039166/', 'is a cloud metadata address'],
    ['http://0251.0376.0251.0376/', 'is a cloud metadata address'],
    ['http://0xa9fea9fe/', 'is a cloud metadata address'],
    ['http://0xa9.0xfe.0xa9.0xfe/', 'is a cloud metadata address'],
    ['http://169.254.169.254./', 'is a cloud metadata address'],
    ['http://127.0.0.1:22', 'is a loopback address'],
    ['http://127.1/', 'is a loopback address'],
    ['http://0x7f.1/', 'is a loopback address'],
    ['http://[::1]:8080/', 'is a loopback address'],
    ['http://localhost:3000/', 'is a loopback host name'],
    ['http://api.localhost/', 'is a loopback host name'],
    ['http://LOCALHOST./', 'is a loopback host name'],
    ['http://10.0.0.1/', 'is a private address'],
    ['https://192.168.0.10/', 'is a private address'],
    ['http://[fd12::1]/', 'is a private address'],
    ['http://169.254.1.1/', 'is a link-local address'],
    ['http://[fe80::1]/', 'is a link-local address'],
    ['http://100.64.1.1/', 'is a shared (CGNAT) address'],
    ['http://224.0.0.1/', 'is a multicast address'],
    ['http://[ff02::1]/', 'is a multicast address'],
    ['http://0.0.0.0/', 'is an unspecified address'],
    ['http://0/', 'is an unspecified address'],
    ['http://[::]/', 'is an unspecified address'],
    ['http://192.0.2.1/', 'is a reserved address'],
    ['http://255.255.255.255/', 'is a reserved address'],
    ['http://user:pw@127.0.0.1:22/', 'may not carry credentials'],
    ['https://user@example.com/', 'may not carry credentials'],
    ['https://:pw@example.com/', 'may not carry credentials'],
    ['ftp://example.com/', 'must use http or https'],
    ['file:///etc/passwd', 'must use http or https'],
    ['gopher://example.com:70/', 'must use http or https'],
    ['not a url', 'is not a valid URL'],
  ])('refuses %s: %s', (url, reason) => {
    expect(refused(url)).toMatchObject({ allowed: false, reason });
  });

  it('passes public addresses, and names with their addresses still to check', () => {
    expect(refused('https://8.8.8.8/')).toEqual({ allowed: true, host: '8.8.8.8', resolve: false });
    expect(refused('https://[2606:4700::1111]:8443/x')).toEqual({
      allowed: true,
      host: '2606:4700::1111',
      resolve: false,
    });
    expect(refused('https://API.Example.com./v1')).toEqual({
      allowed: true,
      host: 'api.example.com',
      resolve: true,
    });
    expect(checkUrl(new URL('http://example.com'), DEFAULT_EGRESS_POLICY)).toMatchObject({ allowed: true });
  });

  it('lets the allow list through: loopback for the local runtime, internal names and ranges', () => {
    const local = parseEgressAllowList('loopback');
    expect(checkUrl('http://127.0.0.1:22', local)).toEqual({
      allowed: true,
      host: '127.0.0.1',
      resolve: false,
    });
    expect(checkUrl('http://[::1]:22', local)).toMatchObject({ allowed: true });
    expect(checkUrl('http://localhost:22', local)).toEqual({
      allowed: true,
      host: 'localhost',
      resolve: true,
    });
    expect(checkUrl('http://10.0.0.1', local)).toMatchObject({ allowed: false });
    // Credentials and schemes stay refused whatever the allow list says.
    expect(checkUrl('http://user:pw@127.0.0.1:22/', local)).toMatchObject({ allowed: false });
    expect(checkUrl('ftp://127.0.0.1/', local)).toMatchObject({ allowed: false });

    const internal = parseEgressAllowList('10.20.0.0/16,internal.example.com');
    expect(checkUrl('http://10.20.3.4:8080/', internal)).toMatchObject({ allowed: true, resolve: false });
    expect(checkUrl('http://internal.example.com/', internal)).toEqual({
      allowed: true,
      host: 'internal.example.com',
      resolve: false,
    });
    expect(checkUrl('http://10.21.3.4/', internal)).toMatchObject({ allowed: false });
  });
});
