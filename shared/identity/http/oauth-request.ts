import { readForm } from '../../http/body.ts';
import { type HttpEvent, header } from '../../http/types.ts';
import { type ClientAuthentication, OAuthError, readClientAuthentication } from '../oauth.ts';

/** The form and the client authentication of a request to a client-authenticated OAuth endpoint. */
export function readOAuthRequest(event: HttpEvent): {
  params: Map<string, string>;
  client: ClientAuthentication;
} {
  const { params, duplicates } = readForm(event);
  if (duplicates.length > 0)
    throw new OAuthError('invalid_request', `Repeated parameter: ${duplicates.join(', ')}.`);
  return { params, client: readClientAuthentication(header(event, 'authorization'), params) };
}
