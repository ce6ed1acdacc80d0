import { randomBytes } from 'node:crypto';
import { s256Challenge } from '../../shared/identity/pkce.ts';
import { WEB_CLIENT_ID } from '../../shared/identity/web-client.ts';
import { call, form } from './http.ts';
import { requestIdOf } from './oauth.ts';
import { portico } from './platform.ts';

/**
 * A person's session in the web app, got as the app gets it: authorization code with PKCE through the
 * sign-in page, exchanged by the public client. Throws unless the person signs in.
 */
export async function webSession(person: { username: string; password: string }) {
  const base = portico().baseUrl;
  const verifier = randomBytes(32).toString('base64url');
  const redirectUri = `${base}/callback`;
  const authorize = await call(
    `/oauth2/authorize?${new URLSearchParams({
      response_type: 'code',
      client_id: WEB_CLIENT_ID,
      redirect_uri: redirectUri,
      code_challenge: s256Challenge(verifier),
      code_challenge_method: 'S256',
      state: 'st',
    })}`,
  );
  if (authorize.status !== 200) throw new Error(`sign-in page: ${authorize.status} ${authorize.text}`);
  const signedIn = await fetch(`${base}/oauth2/authorize`, {
    redirect: 'manual',
    ...form({ request_id: requestIdOf(authorize.text), ...person, decision: 'approve' }),
  });
  const code = new URL(signedIn.headers.get('location') ?? 'http://x/').searchParams.get('code');
  if (!code) throw new Error(`sign-in refused: ${signedIn.status} ${await signedIn.text()}`);
  const tokens = await call(
    '/oauth2/token',
    form({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_id: WEB_CLIENT_ID,
      code_verifier: verifier,
    }),
  );
  if (tokens.status !== 200) throw new Error(`code exchange: ${tokens.status} ${tokens.text}`);
  return tokens.body as { access_token: string; refresh_token: string; scope: string };
}
