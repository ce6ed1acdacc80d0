import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';

/**
 * One structured JSON logger per function. Level comes from POWERTOOLS_LOG_LEVEL. Never pass request
 * bodies, secrets, tokens or signatures to it: redaction is by construction, not by filtering.
 */
export const createLogger = (serviceName: string): Logger => new Logger({ serviceName });

/**
 * Business counters as CloudWatch EMF lines, flushed after each invocation (namespace from
 * POWERTOOLS_METRICS_NAMESPACE; the local runtime turns them off unless LOG_LEVEL=DEBUG).
 */
export const createMetrics = (serviceName: string): Metrics => new Metrics({ serviceName });

/** Counts one occurrence of `name`. */
export function count(metrics: Metrics, name: string, value = 1): void {
  metrics.addMetric(name, MetricUnit.Count, value);
}

/** X-Ray segments for the handler and every AWS SDK call (off where POWERTOOLS_TRACE_ENABLED=false). */
export const tracer = new Tracer();

/** The standard stack for queue, stream and schedule handlers: traced, logged with the invocation's context, metrics flushed. */
export function eventHandler<E, R>(
  logger: Logger,
  metrics: Metrics,
  handler: (event: E, context: Context) => Promise<R>,
) {
  return middy<E, R>()
    .use(captureLambdaHandler(tracer))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .handler(handler);
}
