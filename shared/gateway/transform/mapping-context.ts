import type { ProxiedRequest } from '../forward.ts';

/** What a mapping sees of the call besides the body, as `$method`, `$path`, `$params`, `$query`. */
export interface MappingContext {
  method: string;
  /** The path below the API, as received (percent-encoded). */
  path: string;
  /** The matched route's path parameters, decoded. */
  params: Record<string, string>;
  /** The query's parameters; one sent more than once is a list. */
  query: Record<string, string | string[]>;
  requestId: string;
}

export function mappingContext(request: ProxiedRequest, params: Record<string, string>): MappingContext {
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(request.rawQueryString)) {
    const seen = Object.hasOwn(query, name) ? query[name] : undefined;
    query[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return {
    method: request.method,
    path: request.path,
    params: { ...params },
    query,
    requestId: request.requestId,
  };
}

/** The context as JSONata variables. */
export const callBindings = (context: MappingContext): Record<string, unknown> => ({
  method: context.method,
  path: context.path,
  params: context.params,
  query: context.query,
});
