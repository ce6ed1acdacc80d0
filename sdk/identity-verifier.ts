/**
 * Verifies the identity Portico's gateway sends your API (Node.js 20+, with `jose`): every call it
 * forwards carries `x-portico-identity`, a compact JWS (ES256, `typ` `portico-identity+jwt`) signed with
 * keys published at `<portico>/.well-known/identity-jwks.json`. Trust the caller's app, inner id and
 * scopes only from a verified token, never from the plain `x-portico-*` headers. See sdk/README.md.
 *
 *   const verifier = createIdentityVerifier({ issuer: 'https://api.example.com', api: 'orders' });
 *   http.createServer(identityMiddleware(verifier, (req, res) => { … req.portico.appId … }));
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRemoteJWKSet, errors, type JWTVerifyGetKey, jwtVerify } from 'jose';

export const IDENTITY_HEADER = 'x-portico-identity';
const TOKEN_TYPE = 'portico-identity+jwt';

/** Who called, as the gateway vouches for it. */
export interface PorticoIdentity {
  appId: string;
  clientId: string;
  /** The user inside the app, when the token was issued for one. */
  innerId?: string;
  scopes: string[];
  /** A sandbox credential: never production data. */
  sandbox: boolean;
  /** The gateway's request id (also in `x-request-id`). */
  requestId: string;
  api: string;
}

export type IdentityFailureReason =
  | 'missing'
  | 'invalid'
  | 'expired'
  | 'wrong-api'
  | 'wrong-request'
  | 'replayed';

export class IdentityVerificationError extends Error {
  override name = 'IdentityVerificationError';

  constructor(
    readonly reason: IdentityFailureReason,
    message: string,
  ) {
    super(message);
  }
}

export interface IdentityVerifierOptions {
  /** Portico's base URL, as its tokens name it (`iss`). */
  issuer: string;
  /** Your API's name in Portico: a token for another API is refused. Leave out only to serve several. */
  api?: string;
  /** Where the keys are; default `<issuer>/.well-known/identity-jwks.json`. */
  jwksUrl?: string;
  /** Oldest token accepted, in seconds (default 60, the gateway's lifetime). */
  maxAgeSeconds?: number;
  /** Clock skew allowed, in seconds (default 5). */
  clockToleranceSeconds?: number;
  /** The key set; for tests. */
  keys?: JWTVerifyGetKey;
  /** Seconds since the epoch; for tests. */
  now?: () => number;
}

export interface IdentityVerifier {
  /** Verifies the token a request came with, for its method and path; throws `IdentityVerificationError`. */
  verify(token: string | undefined, request: { method: string; path: string }): Promise<PorticoIdentity>;
}

export function createIdentityVerifier(options: IdentityVerifierOptions): IdentityVerifier {
  const issuer = options.issuer.replace(/\/$/, '');
  const keys =
    options.keys ??
    createRemoteJWKSet(new URL(options.jwksUrl ?? `${issuer}/.well-known/identity-jwks.json`));
  const maxAge = options.maxAgeSeconds ?? 60;
  const tolerance = options.clockToleranceSeconds ?? 5;
  const now = options.now ?? (() => Date.now() / 1000);
  // Request ids seen, until their token expires: a token is good for one call.
  const seen = new Map<string, number>();

  return {
    async verify(token, request) {
      if (!token) throw new IdentityVerificationError('missing', `No ${IDENTITY_HEADER} header.`);
      let payload: Record<string, unknown>;
      try {
        ({ payload } = await jwtVerify(token, keys, {
          issuer,
          typ: TOKEN_TYPE,
          algorithms: ['ES256'],
          maxTokenAge: maxAge,
          clockTolerance: tolerance,
          currentDate: new Date(now() * 1000),
          requiredClaims: ['sub', 'aud', 'jti', 'iat', 'exp', 'client_id', 'htm', 'htp'],
          ...(options.api ? { audience: `api:${options.api}` } : {}),
        }));
      } catch (error) {
        if (error instanceof errors.JWTExpired)
          throw new IdentityVerificationError('expired', 'The identity token has expired.');
        if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'aud')
          throw new IdentityVerificationError('wrong-api', 'The identity token is for another API.');
        throw new IdentityVerificationError('invalid', 'The identity token is not valid.');
      }
      if (payload.htm !== request.method.toUpperCase() || payload.htp !== (request.path || '/'))
        throw new IdentityVerificationError(
          'wrong-request',
          'The identity token was issued for another request.',
        );
      const jti = String(payload.jti);
      const at = now();
      for (const [id, expiresAt] of seen) if (expiresAt + tolerance < at) seen.delete(id);
      if (seen.has(jti))
        throw new IdentityVerificationError('replayed', 'The identity token was used before.');
      seen.set(jti, Number(payload.exp));
      return {
        appId: String(payload.sub),
        clientId: String(payload.client_id),
        ...(typeof payload.inner_id === 'string' ? { innerId: payload.inner_id } : {}),
        scopes: typeof payload.scope === 'string' && payload.scope ? payload.scope.split(' ') : [],
        sandbox: payload.sandbox === true,
        requestId: jti,
        api: String(payload.aud).replace(/^api:/, ''),
      };
    },
  };
}

/** The path of a request target, without its query, as the gateway signed it. */
export const pathOf = (target: string | undefined): string => (target ?? '/').split(/[?#]/, 1)[0] || '/';

/** The RFC 9457 body of a refusal: answer it with status 401. */
export const identityProblem = (error: IdentityVerificationError) => ({
  type: 'urn:portico:problem:identity-rejected',
  title: 'Identity not verified',
  status: 401,
  detail: error.message,
  reason: error.reason,
});

export type IdentifiedRequest = IncomingMessage & { portico: PorticoIdentity };

/**
 * `node:http` middleware: answers 401 (problem+json) unless the request carries a valid identity token
 * for it, else calls `next` with the identity on `req.portico`.
 */
export function identityMiddleware(
  verifier: IdentityVerifier,
  next: (req: IdentifiedRequest, res: ServerResponse) => void | Promise<void>,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const header = req.headers[IDENTITY_HEADER];
    try {
      const identity = await verifier.verify(Array.isArray(header) ? header[0] : header, {
        method: req.method ?? 'GET',
        path: pathOf(req.url),
      });
      await next(Object.assign(req, { portico: identity }), res);
    } catch (error) {
      if (!(error instanceof IdentityVerificationError)) throw error;
      res.writeHead(401, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify(identityProblem(error)));
    }
  };
}
