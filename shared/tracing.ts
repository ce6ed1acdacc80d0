import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { instrumentSdkClients } from './aws/clients.ts';

/**
 * X-Ray through its SDK: a segment for the handler and a subsegment for every AWS SDK call the
 * function makes (off where POWERTOOLS_TRACE_ENABLED=false). Loading this module instruments every
 * SDK client of the function; the hot-path functions do not load it (`hotPathHttpHandler`).
 */
export const tracer = new Tracer();

instrumentSdkClients((client) => tracer.captureAWSv3Client(client));

/** The middleware that opens the handler's segment. */
export const traceInvocations = () => captureLambdaHandler(tracer);
