import type { LookupAddress, LookupOptions } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import {
  checkAddress,
  checkUrl,
  type EgressDecision,
  type EgressPolicy,
  hostAllowed,
  type UrlDecision,
} from './policy.ts';
import type { HostResolver } from './ports.ts';

export const EGRESS_DENIED = 'EGRESS_DENIED';

/** A connection the egress policy refused; `code` is `EGRESS_DENIED`, like a socket error's. */
export class EgressDeniedError extends Error {
  override name = 'EgressDeniedError';
  readonly code = EGRESS_DENIED;

  constructor(
    readonly host: string,
    readonly reason: string,
  ) {
    super(`egress to ${host} refused: it ${reason}`);
  }
}

export const isEgressDenied = (error: unknown): error is EgressDeniedError =>
  (error as { code?: unknown } | null)?.code === EGRESS_DENIED;

export type GuardDecision = EgressDecision & { host?: string };

/**
 * The egress policy applied: on write (`check`: the URL, then every address its host name resolves
 * to) and at connect time (`lookup`, given to node's sockets, which checks the addresses a connection
 * is about to use, so a name that resolved to a public address on write and rebinds to an internal
 * one later still cannot be reached). Node skips `lookup` for literal addresses: transports call
 * `checkUrl` before connecting.
 */
export class EgressGuard {
  constructor(
    readonly policy: EgressPolicy,
    private readonly resolver: HostResolver,
  ) {}

  checkUrl(url: string | URL): UrlDecision {
    return checkUrl(url, this.policy);
  }

  /** Every address must pass; a name that does not resolve fails. */
  async check(url: string | URL): Promise<GuardDecision> {
    const decision = this.checkUrl(url);
    if (!decision.allowed) return decision;
    const { host } = decision;
    if (!decision.resolve) return { allowed: true, host };
    let addresses: string[];
    try {
      addresses = await this.resolver.resolve(host);
    } catch {
      return { allowed: false, host, reason: 'does not resolve' };
    }
    if (addresses.length === 0) return { allowed: false, host, reason: 'does not resolve' };
    for (const address of addresses) {
      const verdict = checkAddress(address, this.policy, host);
      if (!verdict.allowed) return { ...verdict, host };
    }
    return { allowed: true, host };
  }

  /** The addresses of `hostname` a connection may use; rejects with `EgressDeniedError` if any is refused. */
  async resolveForConnect(hostname: string): Promise<string[]> {
    const host = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
    if (isIP(host)) {
      const verdict = checkAddress(host, this.policy);
      if (!verdict.allowed) throw new EgressDeniedError(host, verdict.reason);
      return [host];
    }
    const addresses = await this.resolver.resolve(host);
    if (!hostAllowed(host, this.policy)) {
      for (const address of addresses) {
        const verdict = checkAddress(address, this.policy, host);
        if (!verdict.allowed) throw new EgressDeniedError(host, verdict.reason);
      }
    }
    return addresses;
  }

  /** For `net.connect`, `http.Agent` and `tls.connect` (`lookup` option), with or without `all`. */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    const opts: LookupOptions = typeof options === 'object' && options !== null ? options : {};
    const wanted =
      opts.family === 4 || opts.family === 'IPv4' ? 4 : opts.family === 6 || opts.family === 'IPv6' ? 6 : 0;
    this.resolveForConnect(hostname).then(
      (addresses) => {
        const found: LookupAddress[] = addresses
          .map((address) => ({ address, family: isIP(address) }))
          .filter((a) => a.family !== 0 && (wanted === 0 || a.family === wanted));
        if (found.length === 0) {
          const error: NodeJS.ErrnoException = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
            code: 'ENOTFOUND',
            hostname,
          });
          callback(error, opts.all ? [] : '', undefined);
        } else if (opts.all) callback(null, found);
        else callback(null, found[0]!.address, found[0]!.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, opts.all ? [] : '', undefined),
    );
  };
}
