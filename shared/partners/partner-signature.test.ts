import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalString,
  decryptBody,
  encryptBody,
  parseAesKey,
  signParams,
  verifySignedParams,
  withSignature,
} from './partner-signature.ts';

const NOW = 1_514_736_000_000;

describe('the partner signature (seed 003 §6.3)', () => {
  it("signs the seed's example as it describes: keys in ASCII order, k=v joined with &", () => {
    const params = { bank_type: 'WX', fee_type: '1', body: 'XXX' };
    expect(canonicalString(params)).toBe('bank_type=WX&body=XXX&fee_type=1');
    // Computed independently: python3 hmac.new(b'secret_key', b'bank_type=WX&body=XXX&fee_type=1', sha256)
    expect(signParams(params, 'secret_key')).toBe(
      '2b691fef59f17f1339779c593c8fdb91c8507ef79960182c20d1cd3706a2d24e',
    );
  });

  it('signs a JSON value as its compact text and leaves sign out', () => {
    const params = {
      partnerId: 'gddianxin',
      timestamp: '1514736000',
      nonce: 'abcdefghijklmnop',
      notices: [{ id: 'UC-051' }],
      sign: 'ignored',
    };
    expect(signParams(params, 'partner-secret')).toBe(
      '33f5c6211337ff869e6019e012d89bf036ce8fc1fe09f84011a6f0577604bfe3',
    );
  });

  it('accepts what withSignature produced, under any current secret', () => {
    const signed = withSignature({ partnerId: 'p1', notices: [] }, 'new', NOW);
    expect(verifySignedParams(signed, ['old', 'new'], NOW)).toMatchObject({
      ok: true,
      timestamp: 1_514_736_000,
    });
    expect(verifySignedParams(signed, ['old'], NOW)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it.each([
    ['no sign', (p: Record<string, unknown>) => ({ ...p, sign: undefined }), 'missing-signature'],
    ['a sign that is not hex', (p: Record<string, unknown>) => ({ ...p, sign: 'zz' }), 'bad-signature'],
    ['a timestamp 301 s old', (p: Record<string, unknown>) => p, 'stale-timestamp', NOW + 301_000],
    ['a timestamp 301 s ahead', (p: Record<string, unknown>) => p, 'stale-timestamp', NOW - 301_000],
    ['a short nonce', (p: Record<string, unknown>) => ({ ...p, nonce: 'abc' }), 'bad-nonce'],
    ['a timestamp in ms', (p: Record<string, unknown>) => ({ ...p, timestamp: `${NOW}x` }), 'bad-parameter'],
    ['a key outside the alphabet', (p: Record<string, unknown>) => ({ ...p, 'a&b': '1' }), 'bad-parameter'],
  ])('refuses %s', (_name, change, reason, at = NOW) => {
    const signed = withSignature({ partnerId: 'p1' }, 's', NOW, 'nonce-0123456789abcdef');
    expect(verifySignedParams(change(signed), ['s'], at)).toEqual({ ok: false, reason });
  });

  it('is independent of key order and refuses any change to any value', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.stringMatching(/^[a-z_]{1,8}$/), fc.oneof(fc.string(), fc.integer(), fc.boolean()), {
          maxKeys: 6,
        }),
        fc.string({ minLength: 1 }),
        (params, tamper) => {
          const signed = withSignature(params, 'secret', NOW);
          const reordered = Object.fromEntries(Object.entries(signed).reverse());
          expect(verifySignedParams(reordered, ['secret'], NOW).ok).toBe(true);
          for (const key of Object.keys(params)) {
            const changed = { ...signed, [key]: `${JSON.stringify(signed[key])}${tamper}` };
            expect(verifySignedParams(changed, ['secret'], NOW).ok).toBe(false);
          }
        },
      ),
    );
  });
});

describe('the partner body encryption (AES-256-GCM)', () => {
  const key = randomBytes(32);

  it('round-trips, and anything changed or under another key opens to nothing', () => {
    const sealed = encryptBody('{"upgradeInfo":[]}', key);
    expect(decryptBody(sealed, key)).toBe('{"upgradeInfo":[]}');
    expect(decryptBody(sealed, randomBytes(32))).toBeUndefined();
    const bytes = Buffer.from(sealed, 'base64');
    bytes[14] = bytes[14]! ^ 1;
    expect(decryptBody(bytes.toString('base64'), key)).toBeUndefined();
    expect(decryptBody('not base64!', key)).toBeUndefined();
    expect(decryptBody('', key)).toBeUndefined();
  });

  it('takes only a 32-byte key in canonical base64', () => {
    expect(parseAesKey(key.toString('base64'))?.equals(key)).toBe(true);
    expect(parseAesKey(randomBytes(16).toString('base64'))).toBeUndefined();
    expect(parseAesKey('x')).toBeUndefined();
  });
});
