import { isIP } from 'node:net';

/**
 * The egress policy: which URLs a user may make the platform call (API upstreams today, webhook
 * endpoints later). Pure: it decides on a URL and on addresses; resolving names is the guard's job
 * (`guard.ts`). By default only globally routable unicast addresses are allowed; an allow list of
 * CIDRs and host names lets a deployment reach its own internal networks.
 */

export type AddressClass =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'metadata'
  | 'cgnat'
  | 'multicast'
  | 'unspecified'
  | 'reserved';

export interface IpAddress {
  family: 4 | 6;
  value: bigint;
}

interface Network extends IpAddress {
  prefix: number;
}

export interface EgressPolicy {
  readonly networks: readonly Network[];
  /** Exact host names, lower case, without a trailing dot. */
  readonly hosts: ReadonlySet<string>;
  /** Suffixes such as `.corp.example.com`, from `*.corp.example.com` entries. */
  readonly domains: readonly string[];
}

export type EgressDecision =
  | { allowed: true }
  | { allowed: false; reason: string; addressClass?: AddressClass };

/** A decision on a URL alone; `resolve` tells whether its host name still needs its addresses checked. */
export type UrlDecision =
  | { allowed: true; host: string; resolve: boolean }
  | { allowed: false; reason: string; host?: string; addressClass?: AddressClass };

const DESCRIPTION: Record<Exclude<AddressClass, 'public'>, string> = {
  loopback: 'a loopback address',
  private: 'a private address',
  'link-local': 'a link-local address',
  metadata: 'a cloud metadata address',
  cgnat: 'a shared (CGNAT) address',
  multicast: 'a multicast address',
  unspecified: 'an unspecified address',
  reserved: 'a reserved address',
};

// ---------------------------------------------------------------------------------------------------
// Addresses

const IPV4_PART = /^(0x[0-9a-f]*|0[0-7]*|[1-9][0-9]*)$/i;

/**
 * An IPv4 address in any form `inet_aton` (and so `getaddrinfo`) accepts: one to four parts, each
 * decimal, octal (leading 0) or hex (0x), the last filling the remaining bytes (`127.1`, `2852039166`,
 * `0251.0376.0251.0376`, `0x7f.1`). A trailing dot is tolerated, as URL parsers do.
 */
function parseIpv4(text: string): bigint | undefined {
  const parts = text.endsWith('.') ? text.slice(0, -1).split('.') : text.split('.');
  if (parts.length > 4 || !parts.every((p) => IPV4_PART.test(p))) return undefined;
  const numbers = parts.map((p) => {
    if (/^0x/i.test(p)) return p.length === 2 ? 0n : BigInt(p);
    return p.length > 1 && p.startsWith('0') ? BigInt(`0o${p.slice(1)}`) : BigInt(p);
  });
  const last = numbers.pop()!;
  if (numbers.some((n) => n > 255n)) return undefined;
  if (last >= 1n << BigInt(8 * (4 - numbers.length))) return undefined;
  return numbers.reduce((acc, n, i) => acc | (n << BigInt(8 * (3 - i))), last);
}

const HEX_GROUP = /^[0-9a-f]{1,4}$/i;
const DOTTED_QUAD = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/**
 * An IPv6 address as `net.isIP` accepts it (eight groups, one `::` standing for at least one, a
 * dotted quad as the last two), read without `net.isIP`, whose pattern costs milliseconds to compile
 * on first use, at a cold start.
 */
function parseIpv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const [head = '', tail] = halves;
  const groups = (part: string, last: boolean): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    const pieces = part.split(':');
    for (const [i, group] of pieces.entries()) {
      if (last && i === pieces.length - 1 && DOTTED_QUAD.test(group)) {
        const v4 = parseIpv4(group)!;
        out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else if (HEX_GROUP.test(group)) out.push(Number.parseInt(group, 16));
      else return undefined;
    }
    return out;
  };
  const before = groups(head, tail === undefined);
  const after = tail === undefined ? [] : groups(tail, true);
  if (!before || !after || (tail !== undefined && before.length + after.length > 7)) return undefined;
  const all =
    tail === undefined ? before : [...before, ...Array(8 - before.length - after.length).fill(0), ...after];
  if (all.length !== 8) return undefined;
  return all.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

/**
 * Parses an IP address as a connection would use it: IPv4 in every legacy form, IPv6 with or without
 * brackets and zone. Anything else (a host name) is `undefined`.
 */
export function parseIpAddress(text: string): IpAddress | undefined {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (bare.includes(':')) {
    const value = parseIpv6(bare.replace(/%.*$/, ''));
    return value === undefined ? undefined : { family: 6, value };
  }
  const value = parseIpv4(bare);
  return value === undefined ? undefined : { family: 4, value };
}

export function formatIpAddress(ip: IpAddress): string {
  if (ip.family === 4) return [24n, 16n, 8n, 0n].map((s) => String((ip.value >> s) & 0xffn)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => Number((ip.value >> BigInt(112 - 16 * i)) & 0xffffn));
  // RFC 5952: the longest run (of two or more) of zero groups becomes `::`.
  let best = { start: -1, length: 1 };
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length) best = { start: i, length: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.start < 0) return hex.join(':');
  return `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.length).join(':')}`;
}

function network(cidr: string): Network {
  const [address = '', prefixText] = cidr.split('/');
  const ip = parseIpAddress(address)!;
  const width = ip.family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? width : Number(prefixText);
  const shift = BigInt(width - prefix);
  return { ...ip, value: (ip.value >> shift) << shift, prefix };
}

function contains(net: Network, ip: IpAddress): boolean {
  if (net.family !== ip.family) return false;
  const shift = BigInt((ip.family === 4 ? 32 : 128) - net.prefix);
  return (ip.value >> shift) << shift === net.value;
}

const table = (rows: [AddressClass, string[]][]) =>
  rows.flatMap(([addressClass, cidrs]) => cidrs.map((cidr) => ({ addressClass, net: network(cidr) })));

/** First match wins: the metadata endpoints before the ranges that hold them. */
const IPV4_RANGES = table([
  [
    'metadata',
    [
      '169.254.169.254/32', // AWS, GCP, Azure, OpenStack, DigitalOcean, Oracle instance metadata
      '169.254.169.253/32', // AWS VPC DNS
      '169.254.169.123/32', // AWS time sync
      '169.254.170.2/32', // ECS task metadata and credentials
      '169.254.170.23/32', // EKS pod identity
      '100.100.100.200/32', // Alibaba Cloud
      '192.0.0.192/32', // Oracle Cloud (legacy)
    ],
  ],
  ['unspecified', ['0.0.0.0/8']],
  ['loopback', ['127.0.0.0/8']],
  ['private', ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']],
  ['cgnat', ['100.64.0.0/10']],
  ['link-local', ['169.254.0.0/16']],
  ['multicast', ['224.0.0.0/4']],
  [
    'reserved',
    [
      '192.0.0.0/24', // IETF protocol assignments
      '192.0.2.0/24', // documentation
      '192.88.99.0/24', // 6to4 relay anycast (deprecated)
      '198.18.0.0/15', // benchmarking
      '198.51.100.0/24', // documentation
      '203.0.113.0/24', // documentation
      '240.0.0.0/4', // future use, and the limited broadcast address
    ],
  ],
]);

const IPV6_RANGES = table([
  ['metadata', ['fd00:ec2::/32']], // AWS instance metadata, DNS and time sync over IPv6
  ['unspecified', ['::/128']],
  ['loopback', ['::1/128']],
  ['private', ['fc00::/7', 'fec0::/10']],
  ['link-local', ['fe80::/10']],
  ['multicast', ['ff00::/8']],
  [
    'reserved',
    [
      '64:ff9b:1::/48', // local-use NAT64
      '100::/64', // discard-only
      // IETF protocol assignments: Teredo, benchmarking, ORCHID, and a few anycast services no API
      // upstream is, refused whole rather than told apart.
      '2001::/23',
      '2001:db8::/32', // documentation
      '3fff::/20', // documentation
      '5f00::/16', // SRv6 SIDs
    ],
  ],
]);

const GLOBAL_UNICAST = network('2000::/3');
const MAPPED = network('::ffff:0:0/96');
const TRANSLATED = network('::ffff:0:0:0/96');
const COMPATIBLE = network('::/96');
const NAT64 = network('64:ff9b::/96');
const SIX_TO_FOUR = network('2002::/16');

/**
 * The IPv4 address an IPv6 address stands for, where traffic to it reaches that IPv4 host: mapped
 * (`::ffff:a.b.c.d`), translated, IPv4-compatible (`::a.b.c.d`), NAT64 (`64:ff9b::a.b.c.d`) and 6to4
 * (`2002:aabb:ccdd::`).
 */
export function embeddedIpv4(ip: IpAddress): IpAddress | undefined {
  if (ip.family !== 6) return undefined;
  const low = { family: 4 as const, value: ip.value & 0xffffffffn };
  if (contains(MAPPED, ip) || contains(TRANSLATED, ip) || contains(NAT64, ip)) return low;
  if (contains(COMPATIBLE, ip) && ip.value > 1n) return low;
  if (contains(SIX_TO_FOUR, ip)) return { family: 4, value: (ip.value >> 80n) & 0xffffffffn };
  return undefined;
}

function classifyPlain(ip: IpAddress): AddressClass {
  for (const { addressClass, net } of ip.family === 4 ? IPV4_RANGES : IPV6_RANGES) {
    if (contains(net, ip)) return addressClass;
  }
  return ip.family === 6 && !contains(GLOBAL_UNICAST, ip) ? 'reserved' : 'public';
}

/** What kind of address this is, looking through IPv4 embedded in IPv6. */
export function classifyAddress(ip: IpAddress): AddressClass {
  const inner = embeddedIpv4(ip);
  if (!inner) return classifyPlain(ip);
  const innerClass = classifyPlain(inner);
  // The deprecated compatible and translated forms are not routable even around a public address.
  if (
    innerClass === 'public' &&
    !contains(NAT64, ip) &&
    !contains(SIX_TO_FOUR, ip) &&
    !contains(MAPPED, ip)
  ) {
    return 'reserved';
  }
  return innerClass;
}

// ---------------------------------------------------------------------------------------------------
// The allow list

export class EgressAllowListError extends Error {
  override name = 'EgressAllowListError';
}

const HOST_NAME = /^(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** `loopback` in the allow list: what the local runtime uses so its demo upstream works. */
const LOOPBACK = ['127.0.0.0/8', '::1/128'];

/**
 * Parses the allow list setting: comma- or space-separated CIDRs (IPv4 or IPv6, a bare address being
 * one host), host names (`internal.example.com`, or `*.corp.example.com` for every name below it) and
 * the keyword `loopback`. Throws `EgressAllowListError` naming every malformed entry.
 */
export function parseEgressAllowList(text: string): EgressPolicy {
  const networks: Network[] = [];
  const hosts = new Set<string>();
  const domains: string[] = [];
  const bad: string[] = [];
  for (const raw of text.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase().replace(/\.$/, '');
    if (entry === '') continue;
    if (entry === 'loopback') {
      networks.push(...LOOPBACK.map(network));
      continue;
    }
    const [address = '', prefix, extra] = entry.split('/');
    const family = isIP(address);
    if (family !== 0) {
      const width = family === 4 ? 32 : 128;
      const valid =
        extra === undefined &&
        (prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= width));
      if (valid) networks.push(network(entry));
      else bad.push(raw);
      continue;
    }
    const wildcard = entry.startsWith('*.');
    const name = wildcard ? entry.slice(2) : entry;
    // A name an address parser would read as an address (`10.1`, `0x7f.1`) is never matched as a name.
    if (prefix !== undefined || !HOST_NAME.test(name) || parseIpAddress(name)) {
      bad.push(raw);
      continue;
    }
    if (wildcard) domains.push(`.${name}`);
    else hosts.add(name);
  }
  if (bad.length > 0) {
    throw new EgressAllowListError(
      `the egress allow list has entries that are neither a CIDR, a host name nor "loopback": ${bad.join(', ')}`,
    );
  }
  return { networks, hosts, domains };
}

/** Nothing allowed beyond the public internet. */
export const DEFAULT_EGRESS_POLICY: EgressPolicy = parseEgressAllowList('');

const normaliseHost = (host: string) => host.toLowerCase().replace(/\.$/, '');

/** Whether the allow list names this host; its addresses are then the deployment's business. */
export function hostAllowed(host: string, policy: EgressPolicy): boolean {
  const name = normaliseHost(host);
  return policy.hosts.has(name) || policy.domains.some((suffix) => name.endsWith(suffix));
}

function addressAllowed(ip: IpAddress, addressClass: AddressClass, policy: EgressPolicy): boolean {
  const candidates = [ip, embeddedIpv4(ip)].filter((c): c is IpAddress => c !== undefined);
  return policy.networks.some(
    (net) =>
      // A broad internal range never opens the metadata endpoints: only an entry for that very address.
      (addressClass !== 'metadata' || net.prefix === (net.family === 4 ? 32 : 128)) &&
      candidates.some((c) => contains(net, c)),
  );
}

/**
 * The decision on one address a connection would go to. With `hostname` (the name it was resolved
 * from), an allow-listed name exempts its addresses, and the reason says "resolves to".
 */
export function checkAddress(address: string, policy: EgressPolicy, hostname?: string): EgressDecision {
  if (hostname !== undefined && hostAllowed(hostname, policy)) return { allowed: true };
  const ip = parseIpAddress(address);
  if (!ip) {
    return {
      allowed: false,
      reason: hostname ? 'resolves to something not an IP address' : 'is not an IP address',
    };
  }
  const addressClass = classifyAddress(ip);
  if (addressClass === 'public' || addressAllowed(ip, addressClass, policy)) return { allowed: true };
  const what = DESCRIPTION[addressClass];
  return {
    allowed: false,
    addressClass,
    reason: hostname ? `resolves to ${what} (${formatIpAddress(ip)})` : `is ${what}`,
  };
}

const LOCALHOST = /(^|\.)localhost$/;

/**
 * The decision on a URL by itself: http or https only, no credentials, and a literal address host
 * decided here. A host name passes with `resolve: true` (its addresses are checked once resolved)
 * unless the allow list names it; `localhost` names are decided as the loopback address they mean.
 */
export function checkUrl(url: string | URL, policy: EgressPolicy): UrlDecision {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return { allowed: false, reason: 'is not a valid URL' };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { allowed: false, reason: 'must use http or https' };
  }
  if (parsed.username !== '' || parsed.password !== '') {
    return { allowed: false, reason: 'may not carry credentials' };
  }
  const raw = parsed.hostname;
  const host = raw.startsWith('[') ? raw.slice(1, -1) : normaliseHost(raw);
  if (host === '') return { allowed: false, reason: 'has no host' };
  if (parseIpAddress(host)) {
    const decision = checkAddress(host, policy);
    return decision.allowed ? { allowed: true, host, resolve: false } : { ...decision, host };
  }
  if (hostAllowed(host, policy)) return { allowed: true, host, resolve: false };
  if (LOCALHOST.test(host)) {
    const decision = checkAddress('127.0.0.1', policy);
    if (!decision.allowed) return { ...decision, host, reason: 'is a loopback host name' };
  }
  return { allowed: true, host, resolve: true };
}
