import { guardedAgents } from '../../egress/adapters/guarded-agents.ts';
import { type EgressGuard, isEgressDenied } from '../../egress/guard.ts';
import { RESPONSE_EXCERPT_BYTES } from '../delivery.ts';
import { WebhookSendError, type WebhookSender } from '../ports.ts';

export interface WebhookSenderOptions {
  /** The egress policy: checked on the URL before each request and on every address connected to. */
  egress: EgressGuard;
  onEgressDenied?: (denial: { host: string; reason: string }) => void;
  maxSockets?: number;
}

/** Every delivery says who sends it: a receiver can tell deliveries from anything else reaching it. */
export const WEBHOOK_USER_AGENT = 'portico-webhooks';

/**
 * POSTs deliveries over keep-alive node:http(s) agents under the egress policy. Redirects are not
 * followed (a 3xx is the receiver's answer); only the first 1 KiB of an answer is kept, and the rest
 * is discarded as it arrives. The timeout covers the whole exchange and destroys the socket.
 */
export function webhookSender(options: WebhookSenderOptions): WebhookSender {
  const connectionFor = guardedAgents(options.egress, { maxSockets: options.maxSockets ?? 64 });
  return ({ url, headers, body, timeoutMs }) =>
    new Promise((resolve, reject) => {
      const started = performance.now();
      const elapsed = () => performance.now() - started;
      const target = new URL(url);
      const decision = options.egress.checkUrl(target);
      if (!decision.allowed) {
        options.onEgressDenied?.({ host: decision.host ?? target.host, reason: decision.reason });
        reject(new WebhookSendError('egress-refused', 0, 'The endpoint address is not allowed.'));
        return;
      }
      let settled = false;
      const fail = (error: WebhookSendError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        request.destroy();
        reject(error);
      };
      const { client, agent } = connectionFor(target);
      const request = client.request(target, {
        method: 'POST',
        headers: { ...headers, 'content-length': String(body.length), 'user-agent': WEBHOOK_USER_AGENT },
        agent,
      });
      const timer = setTimeout(
        () => fail(new WebhookSendError('timeout', elapsed(), `No answer within ${timeoutMs} ms.`)),
        timeoutMs,
      );
      request.on('error', (error) => {
        if (isEgressDenied(error)) {
          options.onEgressDenied?.({ host: error.host, reason: error.reason });
          fail(new WebhookSendError('egress-refused', elapsed(), 'The endpoint address is not allowed.'));
        } else fail(new WebhookSendError('connection', elapsed(), 'The endpoint could not be reached.'));
      });
      request.on('response', (response) => {
        const kept: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size < RESPONSE_EXCERPT_BYTES) kept.push(chunk.subarray(0, RESPONSE_EXCERPT_BYTES - size));
          size += chunk.length;
        });
        response.on('error', () =>
          fail(new WebhookSendError('connection', elapsed(), 'The connection failed mid-answer.')),
        );
        response.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          const retryAfter = response.headers['retry-after'];
          resolve({
            status: response.statusCode ?? 0,
            ...(typeof retryAfter === 'string' ? { retryAfter } : {}),
            excerpt: Buffer.concat(kept).toString('utf8'),
            latencyMs: elapsed(),
          });
        });
      });
      request.end(body);
    });
}
