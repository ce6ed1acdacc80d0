import { ApiError, problemOf, readBody } from '../../api/client.ts';
import { currentAccessToken } from '../../auth/token-store.ts';

/** An answer with the revision its `ETag` names. */
export interface Tagged<T> {
  data: T;
  /** The revision in the entity tag (`"3"` → `3`); undefined when the answer carried none. */
  revision: string | undefined;
}

/** The revision an entity tag names: `"3"` and `W/"3"` are revision `3`. */
export function revisionOfEtag(etag: string | null): string | undefined {
  const match = /^\s*(?:W\/)?"([^"]*)"\s*$/.exec(etag ?? '');
  return match?.[1] || undefined;
}

interface TaggedRequest {
  method?: 'GET' | 'PUT';
  json?: unknown;
  /** Sent as `If-Match: "<revision>"`: the write fails with 409 or 412 if the stored revision moved on. */
  ifMatch?: string;
}

/**
 * Calls a console endpoint whose answer's `ETag` matters (a definition read to be written back). The
 * shared client returns bodies only, so this one keeps the header too; errors are the same ApiError.
 */
export async function fetchTagged<T>(path: string, request: TaggedRequest = {}): Promise<Tagged<T>> {
  const headers = new Headers({ accept: 'application/json, application/problem+json' });
  const token = currentAccessToken();
  if (token) headers.set('authorization', `Bearer ${token}`);
  if (request.ifMatch !== undefined) headers.set('if-match', `"${request.ifMatch}"`);
  if (request.json !== undefined) headers.set('content-type', 'application/json');
  let response: Response;
  try {
    response = await fetch(path, {
      method: request.method ?? 'GET',
      headers,
      ...(request.json !== undefined ? { body: JSON.stringify(request.json) } : {}),
    });
  } catch {
    throw new ApiError({
      type: 'about:blank',
      title: 'The platform could not be reached',
      status: 0,
      detail: 'Check your connection and try again.',
    });
  }
  const body = await readBody(response);
  if (!response.ok) throw new ApiError(problemOf(response.status, body));
  return { data: body as T, revision: revisionOfEtag(response.headers.get('etag')) };
}
