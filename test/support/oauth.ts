import { basic, call, form } from './http.ts';
import { portico } from './platform.ts';

/** The token request of the client_credentials grant, the client authenticated with HTTP Basic. */
export const clientCredentialsRequest = (
  clientId: string,
  clientSecret: string,
  extra: Record<string, string> = {},
): RequestInit =>
  form({ grant_type: 'client_credentials', ...extra }, { authorization: basic(clientId, clientSecret) });

/** `POST /oauth2/token` with the client_credentials grant; the answer as it comes. */
export const clientCredentials = (
  clientId: string,
  clientSecret: string,
  extra: Record<string, string> = {},
) => call('/oauth2/token', clientCredentialsRequest(clientId, clientSecret, extra));

/** An access token for a client (client_credentials); throws unless it is issued. */
export async function tokenFor(clientId: string, clientSecret: string, scope?: string): Promise<string> {
  const { status, body } = await clientCredentials(clientId, clientSecret, scope ? { scope } : {});
  if (status !== 200) throw new Error(`token request failed: ${status} ${JSON.stringify(body)}`);
  return body.access_token;
}

/** A token of the seeded admin client (console:admin). */
export const adminToken = () => tokenFor(portico().admin.clientId, portico().admin.clientSecret);

/** A token of the seeded demo app (echo:read). */
export const demoToken = () => tokenFor(portico().demo.clientId, portico().demo.clientSecret);

/** The `request_id` the consent page of the authorization-code flow carries in its form. */
export const requestIdOf = (consentPage: string): string =>
  /name="request_id" value="([^"]+)"/.exec(consentPage)![1]!;

/**
 * The user's answer on the consent page (posted to `endpoint`): signs in as the seeded user with
 * `password` (theirs unless given) and approves. The redirect is not followed, so the answer's
 * `location` carries the code.
 */
export const approve = (
  requestId: string,
  {
    password = portico().user.password,
    endpoint = `${portico().baseUrl}/oauth2/authorize`,
  }: { password?: string; endpoint?: string } = {},
) =>
  fetch(endpoint, {
    redirect: 'manual',
    ...form({ request_id: requestId, username: portico().user.username, password, decision: 'approve' }),
  });
