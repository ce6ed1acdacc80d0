import { describe, expect, it } from 'vitest';
import type { OpenApiDocument } from './openapi.ts';
import { acceptsBearerToken, accessOptionsOf, schemesOf } from './security.ts';

const document = {
  openapi: '3.1.0',
  info: { title: 'orders', version: '1' },
  components: {
    securitySchemes: {
      oauth2: {
        type: 'oauth2',
        description: 'An access token.',
        flows: {
          clientCredentials: {
            tokenUrl: 'https://api.portico.dev/oauth2/token',
            scopes: { 'orders:read': 'Granted to apps approved for orders:read.' },
          },
        },
      },
      signedRequest: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'HMAC.' },
    },
  },
} as unknown as OpenApiDocument;

describe('authentication', () => {
  it('summarises each security scheme', () => {
    expect(schemesOf(document)).toEqual([
      {
        name: 'oauth2',
        title: 'OAuth 2.0 access token',
        description: 'An access token.',
        tokenUrl: 'https://api.portico.dev/oauth2/token',
        flow: 'client credentials',
        scopes: [['orders:read', 'Granted to apps approved for orders:read.']],
      },
      {
        name: 'signedRequest',
        title: 'Signed request',
        description: 'HMAC.',
        tokenUrl: undefined,
        flow: undefined,
        scopes: [],
      },
    ]);
  });

  it('lists an operation’s alternatives with their scopes', () => {
    expect(
      accessOptionsOf(document, [{ oauth2: ['orders:read', 'orders:write'] }, { signedRequest: [] }]),
    ).toEqual([
      {
        schemes: [
          { name: 'oauth2', title: 'OAuth 2.0 access token', scopes: ['orders:read', 'orders:write'] },
        ],
      },
      { schemes: [{ name: 'signedRequest', title: 'Signed request', scopes: [] }] },
    ]);
  });

  it('tells whether a bearer token is enough', () => {
    expect(acceptsBearerToken(document, [{ oauth2: [] }, { signedRequest: [] }])).toBe(true);
    expect(acceptsBearerToken(document, [{ signedRequest: [] }])).toBe(false);
    expect(acceptsBearerToken(document, [])).toBe(true);
  });
});
