import { isUtf8 } from 'node:buffer';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createIdentityVerifier,
  IDENTITY_HEADER,
  IdentityVerificationError,
  type IdentityVerifier,
  identityProblem,
  type PorticoIdentity,
} from '../sdk/identity-verifier.ts';
import { DemoWebhookInbox } from './demo-webhook-inbox.ts';
import { answerClientErrors, type Log, safeHandler } from './safe-handler.ts';

/**
 * Splits a request target into its path, exactly as received, and its query. `new URL(target, base)`
 * would read `//x` as a host and throw on `//`.
 */
export function parseTarget(target: string): { path: string; query: Record<string, string> } {
  const withoutFragment = target.split('#', 1)[0]!;
  const queryStart = withoutFragment.indexOf('?');
  const path = queryStart < 0 ? withoutFragment : withoutFragment.slice(0, queryStart);
  const search = queryStart < 0 ? '' : withoutFragment.slice(queryStart + 1);
  return { path, query: Object.fromEntries(new URLSearchParams(search)) };
}

/**
 * The demo upstream behind the `echo` API: answers every request with what it received, so a
 * newcomer can see exactly what the gateway forwards (identity headers, trace context). Two helper
 * paths make failure easy to try: /status/{code} answers with that status, /delay/{ms} waits first.
 * A body that is not UTF-8 is echoed as `bodyBase64` instead of `body`.
 *
 * It is also the demo webhook receiver: a POST carrying a `webhook-id` is noted in its inbox (signature
 * checked against the secrets it is told to trust) and logged, and `GET /webhooks` lists the newest.
 *
 * Once told the platform's address (`trustIssuer`), it verifies the gateway's identity token as a real
 * upstream would (sdk/identity-verifier.ts): a call that carries one, or any `x-portico-*` identity
 * header, is refused with 401 unless the token is valid for it and new; the verified identity is
 * echoed as `identity`. A request with neither (a health probe, a direct call) is anonymous.
 */
export async function startDemoUpstream(
  port = 0,
  log: Log = (line) => console.error(`[portico] demo upstream: ${line}`),
): Promise<{
  url: string;
  inbox: DemoWebhookInbox;
  trustIssuer(issuer: string): void;
  close(): Promise<void>;
}> {
  const inbox = new DemoWebhookInbox();
  let verifier: IdentityVerifier | undefined;
  const server = http.createServer(
    safeHandler(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      const { path, query } = parseTarget(req.url ?? '/');
      if (req.method === 'GET' && path === '/webhooks') {
        res.writeHead(200, { 'content-type': 'application/json', server: 'demo-upstream' });
        res.end(JSON.stringify({ received: inbox.list() }, null, 2));
        return;
      }
      const webhook = req.method === 'POST' ? inbox.record(path, req.headers, body) : undefined;
      if (webhook) {
        log(
          `webhook ${webhook.deliveryId} (message ${webhook.messageId}) at ${path}: signature ${webhook.signature}`,
        );
      }
      let identity: PorticoIdentity | null = null;
      const claimsIdentity = Object.keys(req.headers).some((name) => name.startsWith('x-portico-'));
      if (!webhook && claimsIdentity) {
        const token = req.headers[IDENTITY_HEADER];
        try {
          if (!verifier) throw new IdentityVerificationError('invalid', 'The platform is not trusted yet.');
          identity = await verifier.verify(typeof token === 'string' ? token : undefined, {
            method: req.method ?? 'GET',
            path,
          });
        } catch (error) {
          if (!(error instanceof IdentityVerificationError)) throw error;
          log(`${req.method} ${path}: identity refused (${error.reason})`);
          res.writeHead(401, { 'content-type': 'application/problem+json', server: 'demo-upstream' });
          res.end(JSON.stringify(identityProblem(error)));
          return;
        }
      }
      const delay = /\/delay\/(\d+)$/.exec(path);
      if (delay) await new Promise((r) => setTimeout(r, Math.min(Number(delay[1]), 60_000)));
      if (res.destroyed) return;
      const asked = /\/status\/(\d{3})$/.exec(path);
      const status = asked ? Number(asked[1]) : 200;
      const headers = { 'content-type': 'application/json', server: 'demo-upstream' };
      if (status < 200 || status > 599) {
        res.writeHead(400, headers);
        res.end(JSON.stringify({ message: '/status/{code} takes a code from 200 to 599' }));
        return;
      }
      res.writeHead(status, headers);
      res.end(
        JSON.stringify({
          method: req.method,
          path,
          query,
          identity,
          headers: req.headers,
          ...(isUtf8(body) ? { body: body.toString('utf8') } : { bodyBase64: body.toString('base64') }),
        }),
      );
    }, log),
  );
  answerClientErrors(server, log);
  server.keepAliveTimeout = 5000;
  const listen = (p: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(p, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  // A preferred port (the previous run's, so that webhook URLs stay put) falls back to a free one.
  await listen(port).catch((error: NodeJS.ErrnoException) => {
    if (port === 0 || error.code !== 'EADDRINUSE') throw error;
    return listen(0);
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    inbox,
    trustIssuer: (issuer) => {
      verifier = createIdentityVerifier({ issuer });
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
