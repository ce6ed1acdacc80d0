import { rawBody } from '../../http/body.ts';
import { problemCodes } from '../../http/problem.ts';
import type { HttpEvent, HttpResult } from '../../http/types.ts';
import type { ErrorCode } from '../../kernel/errors.ts';
import type { GatewayAnswer, GatewayCall } from '../call.ts';
import type { Gateway } from '../gateway.ts';

/** The API a route names literally (`ANY /apis/pay/{path+}`, a deployment group's route). */
const LITERAL_API_ROUTE = /^[A-Z]+ \/apis\/([a-z][a-z0-9-]*)(?:\/|$)/;

/**
 * The API a call is for: the `{apiName}` API Gateway matched, or the name its route spells out. Never
 * read from the path itself, so it is the very name the route was chosen by.
 */
export function apiNameOf(event: HttpEvent): string {
  return event.pathParameters?.apiName ?? LITERAL_API_ROUTE.exec(event.routeKey ?? '')?.[1] ?? '';
}

/** Whether the call came by a route naming its API literally (a deployment group's), not `{apiName}`. */
export const viaGroupRoute = (event: HttpEvent): boolean => event.pathParameters?.apiName === undefined;

/** An API Gateway (HTTP API, payload 2.0) event for `ANY /apis/{apiName}/{path+}` as a gateway call. */
export function gatewayCallOf(event: HttpEvent): GatewayCall {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) headers[name.toLowerCase()] = value;
  let body: Buffer | undefined;
  return {
    apiName: apiNameOf(event),
    rawPath: event.rawPath,
    method: event.requestContext.http.method,
    rawQueryString: event.rawQueryString ?? '',
    headers,
    body: () => {
      body ??= rawBody(event);
      return body;
    },
    sourceIp: event.requestContext.http.sourceIp,
    requestId: event.requestContext.requestId,
  };
}

/** Bytes travel base64-encoded, text as it is. */
export function httpResultOf(answer: GatewayAnswer): HttpResult {
  const { status: statusCode, headers, body } = answer;
  if (body === undefined) return { statusCode, headers };
  if (typeof body === 'string') return { statusCode, headers, body };
  return { statusCode, headers, body: body.toString('base64'), isBase64Encoded: true };
}

/** The status of a refusal, from the edge's one table. */
export const refusalStatus = (code: ErrorCode): number => problemCodes[code].status;

/** The handler body: refusals are thrown on to the problem middleware, which answers them. */
export const invokeGateway =
  (gateway: Pick<Gateway, 'handle'>) =>
  async (event: HttpEvent): Promise<HttpResult> =>
    httpResultOf(await gateway.handle(gatewayCallOf(event)));
