import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll } from 'vitest';
import { answerClientErrors, safeHandler } from '../../local/safe-handler.ts';
import { HEALTH_PROBE_USER_AGENT } from '../../shared/gateway/adapters/http-probe.ts';
import { sleep } from './wait.ts';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type Behaviour = (
  request: ReceivedRequest,
) =>
  | Promise<{ status?: number; headers?: Record<string, string>; body?: unknown; delayMs?: number }>
  | { status?: number; headers?: Record<string, string>; body?: unknown; delayMs?: number };

/**
 * A scriptable upstream on 127.0.0.1 for gateway tests: records every request the gateway forwards to
 * it in `received` (the platform's scheduled health probes go to `probes`, so a probe arriving mid-test
 * never counts as a call) and answers both as `behaviour` says (status, headers, body, delay). `stop()` closes the port (connections refused);
 * `start()` opens it again on the same port. A behaviour that throws answers 500 and is recorded in
 * `failures`; the server keeps serving.
 */
export class TestUpstream {
  readonly received: ReceivedRequest[] = [];
  readonly probes: ReceivedRequest[] = [];
  readonly failures: string[] = [];
  behaviour: Behaviour = () => ({ status: 200, body: { ok: true } });
  private server: http.Server | undefined;
  private boundPort = 0;

  /** The port on 127.0.0.1, free when first started and kept across `stop()` and `start()`. */
  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    return `http://127.0.0.1:${this.boundPort}`;
  }

  async start(): Promise<this> {
    const log = (line: string) => void this.failures.push(line);
    const server = http.createServer(
      safeHandler(async (req, res) => {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const request: ReceivedRequest = {
          method: req.method ?? '',
          path: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        (req.headers['user-agent'] === HEALTH_PROBE_USER_AGENT ? this.probes : this.received).push(request);
        const answer = await this.behaviour(request);
        if (answer.delayMs) await sleep(answer.delayMs);
        if (res.destroyed) return;
        const text =
          typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? { ok: true });
        res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers });
        res.end(text);
      }, log),
    );
    answerClientErrors(server, log);
    await new Promise<void>((resolve) => server.listen(this.boundPort, '127.0.0.1', resolve));
    this.boundPort = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  hits(): number {
    return this.received.length;
  }
}

/**
 * Starts test upstreams on demand and stops all of them after the calling file's (or suite's) tests:
 * call it where `afterAll` may be called, then call what it returns for each upstream.
 */
export function useUpstreams(): () => Promise<TestUpstream> {
  const started: TestUpstream[] = [];
  afterAll(async () => {
    await Promise.all(started.map((upstream) => upstream.stop()));
  });
  return async () => {
    const upstream = await new TestUpstream().start();
    started.push(upstream);
    return upstream;
  };
}
