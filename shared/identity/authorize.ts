import { randomToken } from '../crypto/random.ts';
import { isPlatformScope } from '../kernel/scopes.ts';
import { epochSeconds } from '../kernel/time.ts';
import { activeApp } from './active-app.ts';
import { opaqueTokenHash } from './issue-tokens.ts';
import type { App } from './model.ts';
import { narrowScope, OAuthError } from './oauth.ts';
import { isValidCodeChallenge } from './pkce.ts';
import type { AppStore, AuthFailureLimiter, AuthorizationStore, UserDirectory } from './ports.ts';
import type { AuthorizationRequest } from './token-records.ts';
import { webSessionScope } from './users.ts';

const REQUEST_TTL_SECONDS = 600;
const CODE_TTL_SECONDS = 60;

export type AuthorizeOutcome =
  /** Nothing trustworthy to redirect to (unknown client, unregistered redirect_uri): show an error. */
  | { kind: 'error-page'; status: number; message: string }
  | { kind: 'redirect'; location: string }
  | { kind: 'consent'; request: AuthorizationRequest; app: App; error?: string };

export interface AuthorizeDeps {
  apps: AppStore;
  authorizations: AuthorizationStore;
  users: UserDirectory;
  failures: AuthFailureLimiter;
  issuer: string;
}

function redirect(redirectUri: string, params: Record<string, string | undefined>): AuthorizeOutcome {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return { kind: 'redirect', location: url.toString() };
}

/**
 * GET /oauth2/authorize (RFC 6749 section 4.1.1, PKCE required with S256). Errors about the client or
 * its redirect URI are shown, never redirected; every other error goes back to the client (4.1.2.1).
 */
export async function startAuthorization(
  deps: AuthorizeDeps,
  query: { params: Map<string, string>; duplicates: string[] },
  now: Date,
): Promise<AuthorizeOutcome> {
  const { params } = query;
  const credential = await deps.apps.getCredential(params.get('client_id') ?? '');
  const app = credential?.status === 'active' ? await activeApp(deps.apps, credential.appId) : undefined;
  if (!credential || !app) {
    return {
      kind: 'error-page',
      status: 400,
      message: 'The application asking for access is unknown or disabled.',
    };
  }
  const asked = params.get('redirect_uri');
  const registered = app.redirectUris ?? [];
  const redirectUri = asked ?? (registered.length === 1 ? registered[0] : undefined);
  if (!redirectUri || !registered.includes(redirectUri) || query.duplicates.includes('redirect_uri')) {
    return {
      kind: 'error-page',
      status: 400,
      message: 'The redirect_uri is missing or not registered for this application.',
    };
  }
  const state = params.get('state');
  const fail = (error: string, description: string) =>
    redirect(redirectUri, { error, error_description: description, state, iss: deps.issuer });

  if (query.duplicates.length > 0)
    return fail('invalid_request', `Repeated parameter: ${query.duplicates.join(', ')}.`);
  if (params.get('response_type') !== 'code')
    return fail('unsupported_response_type', 'Only response_type=code is supported.');
  const challenge = params.get('code_challenge');
  if (!challenge)
    return fail('invalid_request', 'PKCE is required: send code_challenge and code_challenge_method=S256.');
  if (params.get('code_challenge_method') !== 'S256')
    return fail('invalid_request', 'Only code_challenge_method=S256 is accepted.');
  if (!isValidCodeChallenge(challenge)) return fail('invalid_request', 'code_challenge is malformed.');
  let scope: string;
  try {
    // Platform scopes (console, publish) belong to internal clients only: a user's approval never grants
    // one. The platform's own web app asks for nothing: the user's account decides at sign-in.
    scope = app.firstParty
      ? ''
      : narrowScope(
          params.get('scope'),
          app.scopes.filter((s) => !isPlatformScope(s)),
        );
  } catch (error) {
    if (error instanceof OAuthError) return fail(error.error, error.description);
    throw error;
  }
  const request: AuthorizationRequest = {
    id: randomToken(24),
    appId: app.appId,
    clientId: credential.clientId,
    redirectUri,
    scope,
    ...(state !== undefined ? { state } : {}),
    codeChallenge: challenge,
    expiresAt: epochSeconds(now) + REQUEST_TTL_SECONDS,
  };
  await deps.authorizations.saveRequest(request);
  return { kind: 'consent', request, app };
}

/** POST /oauth2/authorize: the user signs in and approves (or denies) the pending request. */
export async function completeAuthorization(
  deps: AuthorizeDeps,
  form: Map<string, string>,
  sourceIp: string,
  now: Date,
): Promise<AuthorizeOutcome> {
  const request = await deps.authorizations.getRequest(form.get('request_id') ?? '', now);
  const app = request ? await activeApp(deps.apps, request.appId) : undefined;
  if (!request || !app) {
    return {
      kind: 'error-page',
      status: 400,
      message: 'This sign-in request has expired or is unknown. Start again from the application.',
    };
  }
  const back = (params: Record<string, string | undefined>) =>
    redirect(request.redirectUri, { ...params, state: request.state, iss: deps.issuer });

  if (form.get('decision') === 'deny') {
    await deps.authorizations.deleteRequest(request.id);
    return back({ error: 'access_denied', error_description: 'The user denied the request.' });
  }
  if (form.get('decision') !== 'approve')
    return { kind: 'consent', request, app, error: 'Choose Approve or Deny.' };

  const username = form.get('username') ?? '';
  const throttleKey = `user:${username.toLowerCase().slice(0, 128)}`;
  if ((await deps.failures.blockedFor(throttleKey, sourceIp, now)) !== undefined) {
    return { kind: 'consent', request, app, error: 'Too many failed sign-ins. Wait a minute and try again.' };
  }
  const user = await deps.users.authenticate(username, form.get('password') ?? '');
  if (!user) {
    await deps.failures.recordFailure(throttleKey, sourceIp, now);
    return { kind: 'consent', request, app, error: 'Wrong username or password.' };
  }
  const code = randomToken(32);
  await deps.authorizations.saveCode({
    hash: opaqueTokenHash(code),
    appId: request.appId,
    clientId: request.clientId,
    redirectUri: request.redirectUri,
    scope: app.firstParty ? webSessionScope(user) : request.scope,
    subject: user.userId,
    innerId: user.innerId,
    codeChallenge: request.codeChallenge,
    expiresAt: epochSeconds(now) + CODE_TTL_SECONDS,
  });
  await deps.authorizations.deleteRequest(request.id);
  return back({ code });
}
