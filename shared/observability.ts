import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

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
