import { randomUUID } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy, { type MiddlewareObj, type Request } from '@middy/core';
import type { Context } from 'aws-lambda';
import { dependencyFailure } from '../kernel/dependency-failures.ts';
import { isDomainError } from '../kernel/errors.ts';
import { count } from '../observability.ts';
import { PROBLEM_CONTENT_TYPE, toProblem } from './problem.ts';
import type { HttpEvent, HttpHandler, HttpResult } from './types.ts';

export const REQUEST_ID_HEADER = 'x-request-id';

type HttpRequest = Request<HttpEvent, HttpResult, Error, Context>;

function requestIdOf(request: HttpRequest): string {
  return request.event.requestContext?.requestId || request.context.awsRequestId || randomUUID();
}

/** Puts the request id on every response, errors included, so a caller can quote it to support. */
const requestIdHeader = (): MiddlewareObj<HttpEvent, HttpResult> => {
  const stamp = (request: HttpRequest) => {
    if (request.response) {
      request.response.headers = { ...request.response.headers, [REQUEST_ID_HEADER]: requestIdOf(request) };
    }
  };
  return { after: stamp, onError: stamp };
};

/**
 * Every error becomes problem+json; an AWS dependency that is down is a 503 logged as a warning,
 * other unexpected errors are logged in full and answered as a bare 500.
 */
const problemResponses = (logger: Logger, metrics?: Metrics): MiddlewareObj<HttpEvent, HttpResult> => ({
  onError: (request) => {
    const problem = toProblem(request.error);
    // Dependency failures are found through `cause` too: the gateway refuses them as domain errors.
    const failure = dependencyFailure(request.error);
    if (failure) {
      const error = request.error as Error;
      logger.warn('dependency unavailable', { failure, error: error.name, message: error.message });
      if (metrics) count(metrics, 'DependencyUnavailable');
    } else if (problem.status >= 500 && !isDomainError(request.error)) {
      logger.error('unhandled error', { error: request.error as Error });
    } else if (problem.status >= 500) {
      logger.warn('request failed', { problem: problem.code, detail: problem.detail });
    }
    request.response = {
      statusCode: problem.status,
      headers: { ...problem.headers, 'content-type': PROBLEM_CONTENT_TYPE },
      body: JSON.stringify(problem.toBody(requestIdOf(request))),
    };
  },
});

/**
 * The stack every HTTP API handler shares: logged with the invocation's context, metrics flushed,
 * the request id on every answer, every error as problem+json. `tracing` goes first (the X-Ray
 * middleware of `httpHandler`).
 */
export function httpStack(
  logger: Logger,
  handler: HttpHandler,
  metrics: Metrics | undefined,
  tracing: MiddlewareObj<HttpEvent, HttpResult>[],
) {
  return middy<HttpEvent, HttpResult>()
    .use(tracing)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(metrics ? [logMetrics(metrics)] : [])
    .use({
      before: (request: HttpRequest) => {
        logger.appendKeys({ requestId: requestIdOf(request), route: request.event.routeKey });
      },
    })
    .use(requestIdHeader())
    .use(problemResponses(logger, metrics))
    .handler(handler);
}

/**
 * The stack of the hot-path functions (gateway, token, discovery): as `httpHandler`, without the X-Ray
 * SDK, a seventh of their bundle and a fifth of their cold start. Lambda's active tracing still
 * records each invocation, and the request log's call tree each stage (docs/architecture.md,
 * "Tracing").
 */
export const hotPathHttpHandler = (logger: Logger, handler: HttpHandler, metrics?: Metrics) =>
  httpStack(logger, handler, metrics, []);
