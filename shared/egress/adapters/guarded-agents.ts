import http from 'node:http';
import https from 'node:https';
import type { EgressGuard } from '../guard.ts';

export interface GuardedAgentOptions {
  /** Sockets kept per origin. */
  maxSockets?: number;
  /** Idle keep-alive sockets are closed after this long (below common server keep-alive timeouts). */
  idleTimeoutMs?: number;
}

/**
 * Keep-alive node:http(s) agents whose every connection goes through the egress policy: the guard's
 * `lookup` checks each address a socket connects to (so DNS rebinding cannot pass). Literal addresses
 * are never looked up: check the URL with `guard.checkUrl` before each request too.
 */
export function guardedAgents(egress: EgressGuard, options: GuardedAgentOptions = {}) {
  const agentOptions = {
    lookup: egress.lookup,
    keepAlive: true,
    maxSockets: options.maxSockets ?? 256,
    timeout: options.idleTimeoutMs ?? 4_000,
    scheduling: 'lifo' as const,
  };
  const agents = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) };
  return (url: URL) =>
    url.protocol === 'https:' ? { client: https, agent: agents.https } : { client: http, agent: agents.http };
}
