import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { traceInvocations } from './tracing.ts';

/** The standard stack for queue, stream and schedule handlers: traced, logged with the invocation's context, metrics flushed. */
export function eventHandler<E, R>(
  logger: Logger,
  metrics: Metrics,
  handler: (event: E, context: Context) => Promise<R>,
) {
  return middy<E, R>()
    .use(traceInvocations())
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .handler(handler);
}
