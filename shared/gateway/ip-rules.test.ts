import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IpRules, parseCidr } from './ip-rules.ts';

describe('IP rules', () => {
  it.each([
    [{ allow: ['10.0.0.0/8'] }, '10.1.2.3', true],
    [{ allow: ['10.0.0.0/8'] }, '11.0.0.1', false],
    [{ allow: ['10.0.0.0/8'], deny: ['10.9.0.0/16'] }, '10.9.1.1', false],
    [{ deny: ['203.0.113.7'] }, '203.0.113.7', false],
    [{ deny: ['203.0.113.7'] }, '203.0.113.8', true],
    [{ allow: ['2001:db8::/32'] }, '2001:db8:1::5', true],
    [{ allow: ['2001:db8::/32'] }, '2001:db9::5', false],
    [{ allow: ['192.0.2.0/24'] }, '::ffff:192.0.2.44', true],
    [{ allow: ['0.0.0.0/0'] }, '198.51.100.1', true],
    [{ allow: ['0.0.0.0/0'] }, '::1', false],
    [{}, 'not-an-ip', true],
    [{ allow: ['10.0.0.0/8'] }, 'not-an-ip', false],
  ])('%j admits %s: %s', (rules, ip, admitted) => {
    expect(new IpRules(rules).admits(ip)).toBe(admitted);
  });

  it('refuses malformed blocks', () => {
    for (const bad of ['10.0.0.0/33', '300.1.1.1', '2001:db8::/129', 'x/8', '10.0.0.0/-1'])
      expect(parseCidr(bad)).toBeUndefined();
  });

  it('treats every IPv4 address as inside its own /32 and its /8, and outside a different /8', () => {
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        const first = Number(ip.split('.')[0]);
        const rules = new IpRules({ allow: [`${ip}/32`] });
        expect(rules.admits(ip)).toBe(true);
        expect(new IpRules({ allow: [`${first}.0.0.0/8`] }).admits(ip)).toBe(true);
        expect(new IpRules({ allow: [`${(first + 1) % 256}.0.0.0/8`] }).admits(ip)).toBe(false);
      }),
    );
  });

  it('matches IPv6 addresses against their own /128 whatever their spelling', () => {
    fc.assert(
      fc.property(fc.ipV6(), (ip) => {
        expect(new IpRules({ allow: [`${ip}/128`] }).admits(ip)).toBe(true);
      }),
    );
  });
});
