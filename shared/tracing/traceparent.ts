import { randomHex } from '../crypto/random.ts';

/** W3C Trace Context: `version-traceid-parentid-flags`. */
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

export interface TraceContext {
  traceId: string;
  /** The span id this hop sends upstream as the parent. */
  spanId: string;
  /** The caller's span, when the call continued a trace. */
  parentSpanId?: string;
  flags: string;
}

const allZero = (hex: string) => /^0+$/.test(hex);

/** Continues the caller's trace when its header is valid, otherwise starts a new one. */
export function continueTrace(incoming: string | undefined): TraceContext {
  const match = TRACEPARENT.exec(incoming?.trim().toLowerCase() ?? '');
  const spanId = randomHex(8);
  if (match && match[1] !== 'ff' && !allZero(match[2]!) && !allZero(match[3]!)) {
    return { traceId: match[2]!, spanId, parentSpanId: match[3]!, flags: match[4]! };
  }
  return { traceId: randomHex(16), spanId, flags: '01' };
}

export const formatTraceparent = (trace: TraceContext): string =>
  `00-${trace.traceId}-${trace.spanId}-${trace.flags}`;
