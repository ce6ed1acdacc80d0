/** The authorization-code request (RFC 6749 section 4.1, PKCE) of the portal, and reading its answer. */

/** The portal's public client: no secret, PKCE instead. */
export const CLIENT_ID = 'portico-web';

export const redirectUriFor = (origin: string): string => `${origin}/callback`;

export interface AuthorizationRequest {
  origin: string;
  challenge: string;
  state: string;
}

/** No `scope`: the server grants the user's own. */
export function authorizeUrl({ origin, challenge, state }: AuthorizationRequest): string {
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: CLIENT_ID,
    redirect_uri: redirectUriFor(origin),
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
  });
  return `/oauth2/authorize?${params}`;
}

export type CallbackOutcome = { kind: 'code'; code: string } | { kind: 'error'; message: string };

export interface CallbackExpectation {
  /** The state sent with the request, undefined when this tab started no sign-in. */
  state: string | undefined;
  /** The authorization server's issuer, from its metadata (RFC 8414). */
  issuer: string;
}

/**
 * What the redirect back to `/callback` says. The state must be ours (RFC 6749 section 10.12) and the
 * issuer, when named, the authorization server's (RFC 9207), or the code is not used.
 */
export function readCallback(search: string, expected: CallbackExpectation): CallbackOutcome {
  const params = new URLSearchParams(search);
  const error = params.get('error');
  if (error)
    return { kind: 'error', message: params.get('error_description') || `Sign-in failed: ${error}.` };
  if (!expected.state) {
    return { kind: 'error', message: 'This sign-in was not started in this tab. Please sign in again.' };
  }
  if (params.get('state') !== expected.state) {
    return { kind: 'error', message: 'The sign-in answer does not match the request. Please sign in again.' };
  }
  const issuer = params.get('iss');
  if (issuer !== null && issuer !== expected.issuer) {
    return { kind: 'error', message: 'The sign-in answer comes from an unexpected issuer.' };
  }
  const code = params.get('code');
  if (!code) return { kind: 'error', message: 'The sign-in answer carries no authorization code.' };
  return { kind: 'code', code };
}

/** A path of this site to come back to: anything else (another origin, the callback itself) is home. */
export function safeReturnPath(path: string | null | undefined): string {
  if (!path?.startsWith('/') || path.startsWith('//') || path.startsWith('/\\')) return '/';
  if (path === '/callback' || path.startsWith('/callback?')) return '/';
  return path;
}
