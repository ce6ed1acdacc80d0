import type { GatewayAnswer } from './call.ts';
import type { CallerIdentity, ProxiedRequest } from './forward.ts';
import { payloadBody } from './function-payload.ts';

/**
 * What an asynchronous upstream receives (the SQS message body, or the event's `detail`): the request
 * as an HTTP server would have seen it, the verified caller, and the tracking id the caller was given.
 * Pure: no SDK, no I/O.
 */
export interface AsyncRequestMessage {
  version: '1';
  trackingId: string;
  api: string;
  receivedAt: string;
  caller: { appId: string; clientId: string; innerId?: string; scopes: string[]; sandbox: boolean };
  request: {
    method: string;
    path: string;
    rawQueryString: string;
    /** The upstream headers: the caller's, filtered as for HTTP, plus identity and trace. */
    headers: Record<string, string>;
    body?: string;
    isBase64Encoded: boolean;
  };
}

/** SQS's and EventBridge's limit on one message or entry. */
export const MAX_ASYNC_MESSAGE_BYTES = 256 * 1024;

export function asyncRequestMessage(
  api: string,
  request: ProxiedRequest,
  caller: CallerIdentity,
  headers: Record<string, string>,
  now: number,
): AsyncRequestMessage {
  return {
    version: '1',
    trackingId: request.requestId,
    api,
    receivedAt: new Date(now).toISOString(),
    caller: {
      appId: caller.appId,
      clientId: caller.clientId,
      ...(caller.innerId ? { innerId: caller.innerId } : {}),
      scopes: caller.scopes,
      sandbox: caller.sandbox,
    },
    request: {
      method: request.method,
      path: request.path || '/',
      rawQueryString: request.rawQueryString,
      headers,
      ...payloadBody(headers['content-type'], request.body),
    },
  };
}

/** The caller's answer once the message is accepted: 202 with the id the provider will know it by. */
export function acceptedAnswer(trackingId: string): Required<GatewayAnswer> & { body: Buffer } {
  return {
    status: 202,
    headers: { 'content-type': 'application/json', 'x-portico-tracking-id': trackingId },
    body: Buffer.from(JSON.stringify({ trackingId })),
  };
}
