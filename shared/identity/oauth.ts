/** RFC 6749 error codes (section 5.2) and the parts of the token request that need no I/O. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  /** RFC 6749 section 4.1.2.1; the token endpoints answer it too (503) when a dependency is down. */
  | 'temporarily_unavailable';

export class OAuthError extends Error {
  override name = 'OAuthError';
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
    readonly status: number = error === 'invalid_client' ? 401 : 400,
    readonly headers: Record<string, string> = {},
  ) {
    super(description);
  }
}

export interface ClientAuthentication {
  /** `none`: a public client (RFC 6749 section 2.1) names itself with `client_id` and has no secret. */
  method: 'client_secret_basic' | 'client_secret_post' | 'none';
  clientId: string;
  clientSecret: string;
}

function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    throw new OAuthError('invalid_request', 'The Authorization header is not correctly encoded.');
  }
}

/**
 * Reads client credentials from HTTP Basic (RFC 6749 section 2.3.1: both parts form-encoded, then
 * base64) or from the body. A client must use exactly one method; a `client_id` alone is a public client.
 */
export function readClientAuthentication(
  authorization: string | undefined,
  params: Map<string, string>,
): ClientAuthentication {
  const fromBody = params.has('client_secret');
  if (authorization !== undefined) {
    const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization);
    if (!match) {
      throw new OAuthError('invalid_client', 'Only HTTP Basic client authentication is accepted.', 401, {
        'www-authenticate': 'Basic realm="portico"',
      });
    }
    if (fromBody) {
      throw new OAuthError('invalid_request', 'Use one client authentication method, not two.');
    }
    const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) {
      throw new OAuthError('invalid_client', 'Client authentication failed.', 401, {
        'www-authenticate': 'Basic realm="portico"',
      });
    }
    const clientId = formDecode(decoded.slice(0, colon));
    if (params.has('client_id') && params.get('client_id') !== clientId) {
      throw new OAuthError('invalid_request', 'client_id does not match the authenticated client.');
    }
    return { method: 'client_secret_basic', clientId, clientSecret: formDecode(decoded.slice(colon + 1)) };
  }
  const clientId = params.get('client_id');
  const clientSecret = params.get('client_secret');
  if (clientId && !fromBody) return { method: 'none', clientId, clientSecret: '' };
  if (!clientId || !clientSecret) {
    throw new OAuthError('invalid_client', 'Client authentication is required.', 401, {
      'www-authenticate': 'Basic realm="portico"',
    });
  }
  return { method: 'client_secret_post', clientId, clientSecret };
}

const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/**
 * The scope a token gets: what was asked for, if all of it was granted to the app; everything
 * granted when nothing was asked for (RFC 6749 section 3.3).
 */
export function narrowScope(requested: string | undefined, granted: readonly string[]): string {
  if (requested === undefined) return granted.join(' ');
  const asked = requested.split(' ').filter(Boolean);
  if (asked.length === 0 || asked.some((s) => !SCOPE_TOKEN.test(s))) {
    throw new OAuthError('invalid_scope', 'The scope parameter is malformed.');
  }
  const beyond = asked.filter((s) => !granted.includes(s));
  if (beyond.length > 0) {
    throw new OAuthError('invalid_scope', `Not granted to this client: ${beyond.join(' ')}.`);
  }
  return [...new Set(asked)].join(' ');
}
