import { DomainError } from '../../kernel/errors.ts';
import type { ProxiedRequest } from '../forward.ts';
import { jsonText, type Mapping } from './mapping.ts';
import { callBindings, type MappingContext } from './mapping-context.ts';

/** The mapped body is bounded like the one the caller may send. */
const MAX_MAPPED_REQUEST_BYTES = 6 * 1024 * 1024;

/**
 * The request as the upstream receives it: the caller's JSON body (already validated) rewritten by
 * the route's mapping and sent as `application/json`; a result of nothing sends an empty body. A
 * body that is not JSON is the caller's mistake (400 `malformed-body`); a failing mapping is the
 * platform's (502 `mapping-failed`).
 */
export async function mapRequest(
  mapping: Mapping,
  request: ProxiedRequest,
  context: MappingContext,
): Promise<ProxiedRequest> {
  const input = request.body.length === 0 ? undefined : parseCallerJson(request.body);
  const result = await mapping.evaluate(input, callBindings(context));
  const body =
    result === undefined
      ? Buffer.alloc(0)
      : Buffer.from(jsonText(result, 'request', MAX_MAPPED_REQUEST_BYTES));
  return {
    ...request,
    headers: {
      ...request.headers,
      'content-type': body.length > 0 ? 'application/json' : undefined,
      'content-encoding': undefined,
    },
    body,
  };
}

function parseCallerJson(body: Buffer): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    throw new DomainError('malformed-body', 'The request body of this route must be JSON.');
  }
}
