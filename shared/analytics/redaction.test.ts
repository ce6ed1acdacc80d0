import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REDACTED, redactBody, redactHeaders, redactQuery, redactValues } from './redaction.ts';

const JWT =
  'eyJhbGciOiJFUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJhcHBfMSIsInNjb3BlIjoib3JkZXJzOnJlYWQifQ.c2lnbmF0dXJlLWJ5dGVz';
const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const policy = (maxBytes = 4_096, paths: string[] = []) => ({ maxBytes, paths });

describe('redaction', () => {
  it('redacts secret headers by name and credential-looking values by shape, lowercasing names', () => {
    expect(
      redactHeaders({
        Authorization: `Bearer ${JWT}`,
        Cookie: 'sid=abc',
        'Set-Cookie': 'sid=abc; HttpOnly',
        'X-Portico-Signature': 'v1=deadbeef',
        'X-Api-Key': 'k-123',
        'X-Forwarded-For': '203.0.113.9',
        'X-Debug': `token was Bearer ${JWT}`,
        'Content-Type': 'application/json',
        absent: undefined,
      }),
    ).toEqual({
      authorization: REDACTED,
      cookie: REDACTED,
      'set-cookie': REDACTED,
      'x-portico-signature': REDACTED,
      'x-api-key': REDACTED,
      'x-forwarded-for': '203.0.113.9',
      'x-debug': `token was ${REDACTED}`,
      'content-type': 'application/json',
    });
  });

  it('redacts secret query parameters, keeping the others as sent', () => {
    expect(redactQuery('page=2&access_token=abc&client_secret=s%3D1&q=a+b&flag')).toBe(
      `page=2&access_token=${encodeURIComponent(REDACTED)}&client_secret=${encodeURIComponent(REDACTED)}&q=a+b&flag`,
    );
    expect(redactQuery('%61pi_key=x')).toBe(`%61pi_key=${encodeURIComponent(REDACTED)}`);
    expect(redactQuery('')).toBe('');
  });

  it('redacts JSON bodies by secret name, by value shape and by the API’s paths, then cuts them', () => {
    const body = json({
      user: 'ann',
      password: 'hunter2',
      nested: { refresh_token: 'rt-1', note: `see ${JWT}` },
      card: { number: '4111111111111111', expiry: '12/30' },
      items: [
        { pan: '5500000000000004', sku: 'a' },
        { pan: '340000000000009', sku: 'b' },
      ],
    });
    const out = redactBody(
      body,
      'application/json; charset=utf-8',
      policy(4_096, ['$.card.number', '$.items[*].pan']),
    );
    expect(JSON.parse(out.body!)).toEqual({
      user: 'ann',
      password: REDACTED,
      nested: { refresh_token: REDACTED, note: `see ${REDACTED}` },
      card: { number: REDACTED, expiry: '12/30' },
      items: [
        { pan: REDACTED, sku: 'a' },
        { pan: REDACTED, sku: 'b' },
      ],
    });
    const cut = redactBody(body, 'application/json', policy(20));
    expect(cut).toEqual({ body: expect.any(String), truncated: true });
    expect(Buffer.byteLength(cut.body!)).toBeLessThanOrEqual(20);
    expect(cut.body).not.toContain('hunter2');
  });

  it('redacts forms like queries, text by value shape, and keeps binary bodies as their length only', () => {
    expect(
      redactBody(Buffer.from('grant_type=x&client_secret=s3'), 'application/x-www-form-urlencoded', policy())
        .body,
    ).toBe(`grant_type=x&client_secret=${encodeURIComponent(REDACTED)}`);
    expect(redactBody(Buffer.from(`<a>Bearer ${JWT}</a>`), 'application/xml', policy()).body).toBe(
      `<a>${REDACTED}</a>`,
    );
    expect(redactBody(Buffer.from([0xff, 0xd8, 0xff, 0x00]), 'image/jpeg', policy()).body).toBe(
      '[binary 4 bytes]',
    );
    expect(redactBody(json({ a: 1 }), 'application/json', policy(0))).toEqual({});
    // JSON that does not parse is still text: credential shapes go.
    expect(redactBody(Buffer.from(`{"token": "${JWT}"`), 'application/json', policy()).body).toBe(
      `{"token": "${REDACTED}"`,
    );
  });

  it('leaves no planted secret in any body, however deep, whatever the cut', () => {
    const secretName = fc.constantFrom(
      'password',
      'clientSecret',
      'access_token',
      'apiKey',
      'Authorization',
      'sessionId',
    );
    const leaf = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null));
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    fc.assert(
      fc.property(
        tree,
        secretName,
        fc.stringMatching(/^[A-Za-z0-9]{16,24}$/),
        fc.integer({ min: 1, max: 2_000 }),
        (value, name, secret, maxBytes) => {
          const planted = { wrapper: [value, { [name]: secret }], header: `Bearer ${secret}` };
          const out = redactBody(json(planted), 'application/json', policy(maxBytes));
          expect(out.body ?? '').not.toContain(secret);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('finds credentials in free text', () => {
    expect(redactValues(`Authorization: Basic dXNlcjpwYXNzd29yZA== then`)).toBe(
      `Authorization: ${REDACTED} then`,
    );
    expect(redactValues('-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----')).toBe(REDACTED);
    expect(redactValues('plain words stay')).toBe('plain words stay');
    expect(
      redactValues(
        'secret sk_amJOzXXEOCwI60tQTIlKdF5DTELphoUUy22FCDtexDk, hook whsec_abcdefghijklmnopqrstuvwx',
      ),
    ).toBe(`secret ${REDACTED}, hook ${REDACTED}`);
  });
});
