import type { IncomingHttpHeaders } from 'node:http';
import { verifyPorticoWebhook, WebhookVerificationError } from '../sdk/webhook-verifier.ts';

export interface ReceivedWebhook {
  receivedAt: string;
  path: string;
  /** `webhook-id`: the delivery, the same on every retry. */
  deliveryId: string;
  messageId: string | undefined;
  /** `verified`, or why not: no secret known for it yet, or the verifier's reason. */
  signature: 'verified' | 'no-secret' | WebhookVerificationError['reason'];
  payload: unknown;
}

const KEPT = 20;

/**
 * The demo receiver's memory of the webhooks it got: the newest {@link KEPT}, each checked with the
 * SDK's verifier against the secrets it was given, so `npm start` can show a message arriving.
 */
export class DemoWebhookInbox {
  private readonly received: ReceivedWebhook[] = [];
  private readonly secrets = new Set<string>();

  trust(secret: string): void {
    this.secrets.add(secret);
  }

  /** Records a POST that carries a `webhook-id`; anything else is not a webhook and is ignored. */
  record(path: string, headers: IncomingHttpHeaders, body: Buffer): ReceivedWebhook | undefined {
    const deliveryId = headers['webhook-id'];
    if (typeof deliveryId !== 'string') return undefined;
    const messageId = headers['webhook-message-id'];
    const entry: ReceivedWebhook = {
      receivedAt: new Date().toISOString(),
      path,
      deliveryId,
      messageId: typeof messageId === 'string' ? messageId : undefined,
      signature: this.check(headers, body),
      payload: parseJson(body),
    };
    this.received.unshift(entry);
    this.received.length = Math.min(this.received.length, KEPT);
    return entry;
  }

  /** Newest first. */
  list(): readonly ReceivedWebhook[] {
    return this.received;
  }

  private check(headers: IncomingHttpHeaders, body: Buffer): ReceivedWebhook['signature'] {
    if (this.secrets.size === 0) return 'no-secret';
    try {
      verifyPorticoWebhook(body, headers, [...this.secrets]);
      return 'verified';
    } catch (error) {
      if (error instanceof WebhookVerificationError) return error.reason;
      throw error;
    }
  }
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return body.toString('utf8').slice(0, 1024);
  }
}
