import { isIPv4, isIPv6 } from 'node:net';

/**
 * IP allow/deny lists of CIDR blocks (IPv4 and IPv6; an IPv4-mapped IPv6 address counts as IPv4).
 * Deny wins over allow; a non-empty allow list admits only what it lists.
 */
interface Block {
  bits: bigint;
  prefix: number;
  width: 32 | 128;
}

function toBigInt(address: string): { value: bigint; width: 32 | 128 } | undefined {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return toBigInt(mapped[1]!);
  if (isIPv4(address)) {
    return {
      value: address.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n),
      width: 32,
    };
  }
  if (!isIPv6(address)) return undefined;
  const [head = '', tail = ''] = address.split('::');
  const parse = (part: string) => (part ? part.split(':') : []);
  let groups = [...parse(head), ...parse(tail)];
  const last = groups.at(-1);
  if (last?.includes('.')) {
    const v4 = toBigInt(last)!.value;
    groups = [...groups.slice(0, -1), ((v4 >> 16n) & 0xffffn).toString(16), (v4 & 0xffffn).toString(16)];
  }
  const missing = 8 - groups.length;
  const full = address.includes('::')
    ? [...parse(head), ...Array(missing).fill('0'), ...groups.slice(parse(head).length)]
    : groups;
  return { value: full.reduce((acc, g) => (acc << 16n) | BigInt(Number.parseInt(g, 16)), 0n), width: 128 };
}

export function parseCidr(cidr: string): Block | undefined {
  const [address = '', prefixText] = cidr.split('/');
  const parsed = toBigInt(address);
  if (!parsed) return undefined;
  const prefix = prefixText === undefined ? parsed.width : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > parsed.width) return undefined;
  const shift = BigInt(parsed.width - prefix);
  return { bits: (parsed.value >> shift) << shift, prefix, width: parsed.width };
}

const contains = (block: Block, address: { value: bigint; width: number }) => {
  if (block.width !== address.width) return false;
  const shift = BigInt(block.width - block.prefix);
  return (address.value >> shift) << shift === block.bits;
};

export class IpRules {
  private readonly allow: Block[];
  private readonly deny: Block[];

  constructor(rules: { allow?: string[]; deny?: string[] } = {}) {
    const parse = (list: string[] = []) => list.map(parseCidr).filter((b): b is Block => b !== undefined);
    this.allow = parse(rules.allow);
    this.deny = parse(rules.deny);
  }

  admits(sourceIp: string): boolean {
    const address = toBigInt(sourceIp);
    if (!address) return this.allow.length === 0 && this.deny.length === 0;
    if (this.deny.some((b) => contains(b, address))) return false;
    return this.allow.length === 0 || this.allow.some((b) => contains(b, address));
  }
}
