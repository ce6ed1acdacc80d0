import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { traceInvocations } from '../tracing.ts';
import { httpStack } from './http-stack.ts';
import type { HttpHandler } from './types.ts';

/** The standard stack for an HTTP API handler: `httpStack`, traced with X-Ray, every AWS SDK call a subsegment. */
export const httpHandler = (logger: Logger, handler: HttpHandler, metrics?: Metrics) =>
  httpStack(logger, handler, metrics, traceInvocations());
