import { lookup } from 'node:dns/promises';
import type { HostResolver } from '../ports.ts';

/** The system resolver (`getaddrinfo`, as connections use it): every IPv4 and IPv6 address of a name. */
export const dnsResolver = (): HostResolver => ({
  async resolve(hostname) {
    const answers = await lookup(hostname, { all: true });
    return answers.map((a) => a.address);
  },
});
