import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  NON_ASCII_VECTOR,
  PORTICO_ROTATED_TEST_SECRET,
  PORTICO_TEST_SECRET,
  ROTATION_VECTOR,
  WEBHOOK_VECTORS,
  type WebhookVector,
} from '../shared/messages/testing/webhook-vectors.ts';
import { generateWebhookSecret, signWebhook } from '../shared/messages/webhook-signature.ts';
import { verifyPorticoWebhook, WebhookVerificationError } from './webhook-verifier.ts';

const ID = 'dlv_4fQm8sZ2kXw7pLr3nVb9Tc';
const MESSAGE_ID = 'msg_7Hk2Vq9ZpL4mXs8RtNw3Ya';
const T = 1_767_225_600;
const BODY = '{"topic":"order.created","data":{"id":42}}';
const SECRET = PORTICO_TEST_SECRET;
const OTHER = PORTICO_ROTATED_TEST_SECRET;

const clock = (seconds: number) => () => seconds * 1000;
const signed = (body: string | Uint8Array = BODY, secrets = [SECRET]) => ({
  ...signWebhook({ id: ID, timestamp: T, body }, secrets),
  'webhook-message-id': MESSAGE_ID,
});
const vectorHeaders = (vector: WebhookVector) => ({
  'webhook-id': vector.id,
  'webhook-timestamp': String(vector.timestamp),
  'webhook-signature': vector.signature,
  ...(vector.messageId ? { 'webhook-message-id': vector.messageId } : {}),
});

function failure(check: () => unknown): WebhookVerificationError {
  try {
    check();
  } catch (error) {
    if (error instanceof WebhookVerificationError) return error;
    throw error;
  }
  throw new Error('expected a WebhookVerificationError');
}

describe('verifyPorticoWebhook', () => {
  it('is self-contained: it imports node:crypto and nothing else', () => {
    const source = readFileSync(new URL('./webhook-verifier.ts', import.meta.url), 'utf8');
    const imports = [...source.matchAll(/^\s*(?:import|export)\b[^;]*?from\s+'([^']+)'/gm)].map(
      (match) => match[1],
    );
    expect(imports).toEqual(['node:crypto']);
    expect(source).not.toMatch(/\brequire\(|\bimport\(/);
  });

  describe('published vectors', () => {
    it.each(WEBHOOK_VECTORS.map((vector) => [vector.name, vector] as const))('%s', (_, vector) => {
      for (const secret of vector.secrets) {
        for (const body of [
          vector.body,
          Buffer.from(vector.body, 'utf8'),
          new TextEncoder().encode(vector.body),
        ]) {
          expect(
            verifyPorticoWebhook(body, vectorHeaders(vector), secret, { now: clock(vector.timestamp) }),
          ).toEqual({
            messageId: vector.messageId,
            deliveryId: vector.id,
            timestamp: vector.timestamp,
          });
        }
      }
    });

    it('refuses the vectors with the wrong secret, a changed body or too late', () => {
      const vector = NON_ASCII_VECTOR;
      const now = clock(vector.timestamp);
      expect(
        failure(() => verifyPorticoWebhook(vector.body, vectorHeaders(vector), OTHER, { now })).reason,
      ).toBe('bad-signature');
      // The same JSON, re-serialised: the characters survive, the bytes do not.
      const reserialised = JSON.stringify(JSON.parse(vector.body), null, 1);
      expect(
        failure(() => verifyPorticoWebhook(reserialised, vectorHeaders(vector), SECRET, { now })).reason,
      ).toBe('bad-signature');
      // The same characters, decomposed (NFD): still not the same bytes.
      expect(
        failure(() =>
          verifyPorticoWebhook(vector.body.normalize('NFD'), vectorHeaders(vector), SECRET, { now }),
        ).reason,
      ).toBe('bad-signature');
      expect(
        failure(() =>
          verifyPorticoWebhook(vector.body, vectorHeaders(vector), SECRET, {
            now: clock(vector.timestamp + 301),
          }),
        ).reason,
      ).toBe('stale-timestamp');
    });

    it('accepts the rotation vector with either secret, or both', () => {
      const headers = vectorHeaders(ROTATION_VECTOR);
      const now = clock(ROTATION_VECTOR.timestamp);
      for (const secret of [SECRET, OTHER, [OTHER, SECRET], [generateWebhookSecret(), OTHER]]) {
        expect(verifyPorticoWebhook(ROTATION_VECTOR.body, headers, secret, { now }).deliveryId).toBe(
          ROTATION_VECTOR.id,
        );
      }
    });
  });

  describe('against signWebhook', () => {
    it('accepts what Portico signs, over random bodies, ids, times and secrets', () => {
      const secrets = fc.array(
        fc
          .uint8Array({ minLength: 24, maxLength: 64 })
          .map((key) => `whsec_${Buffer.from(key).toString('base64')}`),
        { minLength: 1, maxLength: 3 },
      );
      const ids = fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/);
      const bodies = fc.oneof(
        fc.string({ unit: 'binary', maxLength: 300 }),
        fc.uint8Array({ maxLength: 300 }),
      );
      fc.assert(
        fc.property(
          secrets,
          ids,
          fc.integer({ min: 0, max: 2 ** 36 }),
          bodies,
          fc.nat(),
          (keys, id, t, body, pick) => {
            const headers = signWebhook({ id, timestamp: t, body }, keys);
            const secret = keys[pick % keys.length]!;
            expect(verifyPorticoWebhook(body, headers, secret, { now: clock(t) })).toEqual({
              messageId: undefined,
              deliveryId: id,
              timestamp: t,
            });
            expect(
              failure(() => verifyPorticoWebhook(body, headers, generateWebhookSecret(), { now: clock(t) }))
                .reason,
            ).toBe('bad-signature');
          },
        ),
        { numRuns: 300 },
      );
    });

    it('reads headers in any case, from a plain object, a Node-style object or a fetch Headers', () => {
      const headers = signed();
      const shouted = Object.fromEntries(
        Object.entries(headers).map(([name, value]) => [name.toUpperCase(), value]),
      );
      const nodeStyle = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]]));
      const fetchHeaders = new Headers(headers);
      for (const form of [headers, shouted, nodeStyle, fetchHeaders]) {
        expect(verifyPorticoWebhook(BODY, form, SECRET, { now: clock(T) })).toEqual({
          messageId: MESSAGE_ID,
          deliveryId: ID,
          timestamp: T,
        });
      }
    });

    it('leaves messageId undefined when the header is absent: it is not signed anyway', () => {
      const { 'webhook-message-id': _, ...headers } = signed();
      expect(verifyPorticoWebhook(BODY, headers, SECRET, { now: clock(T) }).messageId).toBeUndefined();
    });

    it('ignores signature entries of unknown versions', () => {
      const headers = signed();
      const digest = headers['webhook-signature'].slice(3);
      const mixed = { ...headers, 'webhook-signature': `v2,${digest} ${headers['webhook-signature']}` };
      expect(verifyPorticoWebhook(BODY, mixed, SECRET, { now: clock(T) }).deliveryId).toBe(ID);
      const onlyUnknown = { ...headers, 'webhook-signature': `v2,${digest} v1a,${digest}` };
      expect(failure(() => verifyPorticoWebhook(BODY, onlyUnknown, SECRET, { now: clock(T) })).reason).toBe(
        'bad-signature',
      );
    });

    it.each([
      ['the id', { 'webhook-id': `${ID}x` }],
      ['the timestamp', { 'webhook-timestamp': String(T + 1) }],
    ])('refuses a changed %s', (_, change) => {
      expect(
        failure(() => verifyPorticoWebhook(BODY, { ...signed(), ...change }, SECRET, { now: clock(T) }))
          .reason,
      ).toBe('bad-signature');
    });

    it('refuses a changed body byte', () => {
      const bytes = new TextEncoder().encode(BODY);
      const headers = signed(bytes);
      const changed = bytes.map((byte, i) => (i === bytes.length - 1 ? byte ^ 0x20 : byte));
      expect(failure(() => verifyPorticoWebhook(changed, headers, SECRET, { now: clock(T) })).reason).toBe(
        'bad-signature',
      );
    });

    it('applies the tolerance both ways, 300 s by default or as configured', () => {
      const headers = signed();
      expect(verifyPorticoWebhook(BODY, headers, SECRET, { now: clock(T + 300) }).timestamp).toBe(T);
      expect(verifyPorticoWebhook(BODY, headers, SECRET, { now: clock(T - 300) }).timestamp).toBe(T);
      for (const now of [T + 301, T - 301]) {
        const error = failure(() => verifyPorticoWebhook(BODY, headers, SECRET, { now: clock(now) }));
        expect(error.reason).toBe('stale-timestamp');
        expect(error.name).toBe('WebhookVerificationError');
      }
      expect(
        verifyPorticoWebhook(BODY, headers, SECRET, { now: clock(T + 600), toleranceSeconds: 600 })
          .deliveryId,
      ).toBe(ID);
      expect(
        failure(() =>
          verifyPorticoWebhook(BODY, headers, SECRET, { now: clock(T + 11), toleranceSeconds: 10 }),
        ).reason,
      ).toBe('stale-timestamp');
    });

    it('uses the real clock by default', () => {
      const now = Math.floor(Date.now() / 1000);
      const headers = signWebhook({ id: ID, timestamp: now, body: BODY }, [SECRET]);
      expect(verifyPorticoWebhook(BODY, headers, SECRET).timestamp).toBe(now);
    });
  });

  describe('refusals', () => {
    it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])(
      'refuses a delivery without %s',
      (name) => {
        const headers: Record<string, string> = signed();
        delete headers[name];
        expect(failure(() => verifyPorticoWebhook(BODY, headers, SECRET, { now: clock(T) })).reason).toBe(
          'missing-headers',
        );
      },
    );

    it.each(['soon', '1767225600.5', '-1', '01767225600', '1e9'])('refuses the timestamp %j', (stamp) => {
      const headers = { ...signed(), 'webhook-timestamp': stamp };
      expect(failure(() => verifyPorticoWebhook(BODY, headers, SECRET, { now: clock(T) })).reason).toBe(
        'missing-headers',
      );
    });

    it('refuses parsed JSON in place of the raw body, with a hint', () => {
      expect(() => verifyPorticoWebhook(JSON.parse(BODY), signed(), SECRET, { now: clock(T) })).toThrow(
        /raw request body/,
      );
    });

    it.each([
      ['no prefix', SECRET.slice('whsec_'.length)],
      ['not base64', 'whsec_not base64!'],
      ['a short key', `whsec_${Buffer.alloc(16).toString('base64')}`],
    ])('throws a TypeError (a configuration error, not a refusal) for a secret with %s', (_, secret) => {
      expect(() => verifyPorticoWebhook(BODY, signed(), secret, { now: clock(T) })).toThrow(TypeError);
    });

    it('throws a TypeError for an empty list of secrets', () => {
      expect(() => verifyPorticoWebhook(BODY, signed(), [], { now: clock(T) })).toThrow(TypeError);
    });

    it('uses the key bytes, not the text of the secret', () => {
      const textKeyed = signWebhook({ id: ID, timestamp: T, body: BODY }, [
        `whsec_${Buffer.from(SECRET.slice('whsec_'.length), 'utf8').toString('base64')}`,
      ]);
      expect(failure(() => verifyPorticoWebhook(BODY, textKeyed, SECRET, { now: clock(T) })).reason).toBe(
        'bad-signature',
      );
    });
  });
});
