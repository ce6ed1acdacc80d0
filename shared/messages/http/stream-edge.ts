import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { APIGatewayEventWebsocketRequestContextV2 } from 'aws-lambda';
import { PROBLEM_CONTENT_TYPE, toProblem } from '../../http/problem.ts';
import { dependencyFailure } from '../../kernel/dependency-failures.ts';
import { isDomainError } from '../../kernel/errors.ts';
import { count } from '../../observability.ts';
import { traceInvocations } from '../../tracing.ts';

/** An API Gateway WebSocket event: `$connect` carries headers and the query, messages a body. */
export interface StreamEvent {
  requestContext: APIGatewayEventWebsocketRequestContextV2;
  headers?: Record<string, string | undefined>;
  queryStringParameters?: Record<string, string | undefined>;
  body?: string;
  isBase64Encoded: boolean;
}

/**
 * What the function answers: for `$connect` a non-2xx status refuses the upgrade; on a route with a
 * route response, `body` is the frame the client receives.
 */
export interface StreamResult {
  statusCode: number;
  headers?: Record<string, string>;
  body?: string;
}

/** An error as the client receives it on the stream; nothing in it reveals internals. */
export interface ErrorFrame {
  type: 'error';
  code: string;
  detail?: string;
  errors?: unknown;
  requestId: string;
}

export const frameAnswer = (frame: object): StreamResult => ({
  statusCode: 200,
  body: JSON.stringify(frame),
});

const header = (event: StreamEvent, name: string): string | undefined => {
  for (const [key, value] of Object.entries(event.headers ?? {}))
    if (key.toLowerCase() === name) return value;
  return undefined;
};

/**
 * The `Authorization` value of a `$connect`: the header, or else `Bearer <access_token>` from the query,
 * for browsers, which cannot set headers on a WebSocket.
 */
export function connectAuthorization(event: StreamEvent): string | undefined {
  const fromHeader = header(event, 'authorization');
  if (fromHeader) return fromHeader;
  const token = event.queryStringParameters?.access_token;
  return token ? `Bearer ${token}` : undefined;
}

/**
 * The standard stack of a WebSocket route handler: traced, logged with the invocation's context and
 * route. A refusal becomes the upgrade's status (`$connect`, as problem+json) or an error frame (any
 * other route); an AWS dependency that is down is logged as a warning, anything else unexpected in full,
 * and the client learns only its code.
 */
export function streamHandler(
  logger: Logger,
  handler: (event: StreamEvent) => Promise<StreamResult>,
  metrics?: Metrics,
) {
  return middy<StreamEvent, StreamResult>()
    .use(traceInvocations())
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(metrics ? [logMetrics(metrics)] : [])
    .use({
      before: (request) => {
        const { requestId, routeKey, connectionId } = request.event.requestContext;
        logger.appendKeys({ requestId, route: routeKey, connectionId });
      },
      onError: (request) => {
        const problem = toProblem(request.error);
        const failure = dependencyFailure(request.error);
        if (failure) {
          logger.warn('dependency unavailable', { failure, error: (request.error as Error).name });
          if (metrics) count(metrics, 'DependencyUnavailable');
        } else if (problem.status >= 500 && !isDomainError(request.error)) {
          logger.error('unhandled error', { error: request.error as Error });
        }
        const { requestId, eventType } = request.event.requestContext;
        if (eventType === 'CONNECT') {
          request.response = {
            statusCode: problem.status,
            headers: { 'content-type': PROBLEM_CONTENT_TYPE },
            body: JSON.stringify(problem.toBody(requestId)),
          };
          return;
        }
        const body = problem.toBody(requestId);
        const frame: ErrorFrame = {
          type: 'error',
          code: problem.code,
          ...(body.detail ? { detail: body.detail } : {}),
          ...(body.errors ? { errors: body.errors } : {}),
          requestId,
        };
        request.response = frameAnswer(frame);
      },
    })
    .handler(handler);
}
