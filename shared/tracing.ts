import type { MiddlewareObj } from '@middy/core';
import { instrumentSdkClients } from './aws/clients.ts';

/**
 * Powertools' own switch. Where tracing is off (the local runtime, tests) the X-Ray SDK is not even
 * loaded: its context tracking puts an async hook with a destroy callback on every promise of the
 * process, which the local runtime's functions all share.
 */
const enabled = process.env.POWERTOOLS_TRACE_ENABLED?.trim().toLowerCase() !== 'false';

const xray = enabled
  ? await Promise.all([
      import('@aws-lambda-powertools/tracer'),
      import('@aws-lambda-powertools/tracer/middleware'),
    ])
  : undefined;

/**
 * X-Ray through its SDK: a segment for the handler and a subsegment for every AWS SDK call the
 * function makes. Loading this module instruments every SDK client of the function; the hot-path
 * functions do not load it (`hotPathHttpHandler`).
 */
const tracer = xray ? new xray[0].Tracer() : undefined;

if (tracer) instrumentSdkClients((client) => tracer.captureAWSv3Client(client));

/** The middleware that opens the handler's segment (none where tracing is off). */
// biome-ignore lint/suspicious/noExplicitAny: middy's middleware is generic in the event and result.
export const traceInvocations = (): MiddlewareObj<any, any>[] =>
  xray && tracer ? [xray[1].captureLambdaHandler(tracer)] : [];
