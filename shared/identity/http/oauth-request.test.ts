import { describe, expect, it } from 'vitest';
import type { HttpEvent } from '../../http/types.ts';
import { readOAuthRequest } from './oauth-request.ts';
import { asOAuthError } from './oauth-response.ts';

const formEvent = (body: Buffer) =>
  ({
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString('base64'),
    isBase64Encoded: true,
  }) as unknown as HttpEvent;

const refusal = (body: Buffer) => {
  try {
    readOAuthRequest(formEvent(body));
  } catch (error) {
    return asOAuthError(error);
  }
  return undefined;
};

describe('readOAuthRequest', () => {
  it('reads a base64 form, as API Gateway passes forms', () => {
    const { params, client } = readOAuthRequest(
      formEvent(Buffer.from('grant_type=client_credentials&client_id=ak_1&client_secret=sk_%C3%A9')),
    );
    expect(params.get('grant_type')).toBe('client_credentials');
    expect(client).toMatchObject({ method: 'client_secret_post', clientId: 'ak_1', clientSecret: 'sk_é' });
  });

  it.each([
    [
      'raw bytes that are not UTF-8',
      Buffer.concat([Buffer.from('grant_type=client_credentials&x='), Buffer.from([0xff])]),
    ],
    [
      'percent-encoded bytes that are not UTF-8',
      Buffer.from('grant_type=client_credentials&client_secret=%FF'),
    ],
  ])('refuses %s with 400 invalid_request', (_name, body) => {
    expect(refusal(body)).toMatchObject({ error: 'invalid_request', status: 400 });
  });
});
