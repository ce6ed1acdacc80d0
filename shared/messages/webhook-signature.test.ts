import fc from 'fast-check';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DomainError } from '../kernel/errors.ts';
import {
  NON_ASCII_VECTOR,
  PORTICO_ROTATED_TEST_SECRET,
  PORTICO_TEST_SECRET,
  ROTATION_VECTOR,
  WEBHOOK_VECTORS,
} from './testing/webhook-vectors.ts';
import {
  generateWebhookSecret,
  parseWebhookSecret,
  signWebhook,
  verifyWebhook,
  type WebhookBody,
} from './webhook-signature.ts';

const ID = 'dlv_4fQm8sZ2kXw7pLr3nVb9Tc';
const T = 1_767_225_600;
const NOW = new Date(T * 1000);
const BODY = '{"topic":"order.created","data":{"id":42}}';
const SECRET = PORTICO_TEST_SECRET;
const OTHER = PORTICO_ROTATED_TEST_SECRET;

/** `v1,<digest>` with the first character of the digest replaced by another. */
const flipFirstDigestCharacter = (entry: string): string =>
  `${entry.slice(0, 3)}${entry[3] === 'A' ? 'B' : 'A'}${entry.slice(4)}`;
const at = (seconds: number): Date => new Date(seconds * 1000);
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
/** `standardwebhooks` takes a string or a Buffer (not any Uint8Array): a Buffer over the same bytes. */
const asBuffer = (body: WebhookBody): string | Buffer =>
  typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);

/** Runs `check` with `Date.now()` (what `standardwebhooks` reads) at `seconds`. */
function atTime<T>(seconds: number, check: () => T): T {
  const spy = vi.spyOn(Date, 'now').mockReturnValue(seconds * 1000);
  try {
    return check();
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('webhook secrets', () => {
  it('generates whsec_ and the base64 of 32 random bytes', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(parseWebhookSecret(secret)).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(secret);
  });

  it('uses the decoded bytes as the key, not the text', () => {
    expect([...parseWebhookSecret(SECRET)]).toEqual(Array.from({ length: 32 }, (_, i) => i));
    expect(parseWebhookSecret('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).toHaveLength(24);
    expect(parseWebhookSecret(`whsec_${Buffer.alloc(64, 7).toString('base64')}`)).toHaveLength(64);
  });

  it.each([
    ['no prefix', 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8='],
    ['an upper-case prefix', 'WHSEC_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8='],
    ['another prefix', 'whsk_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8='],
    ['nothing after the prefix', 'whsec_'],
    ['characters outside base64', 'whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYX!BkaGxwdHh8='],
    ['base64url characters', 'whsec_-_-_AwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8='],
    ['missing padding', 'whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8'],
    ['whitespace', 'whsec_AAECAwQFBgcICQoLDA0ODxAR EhMUFRYXGBkaGxwdHh8='],
    ['non-canonical trailing bits', 'whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh9='],
    ['23 bytes', `whsec_${Buffer.alloc(23, 1).toString('base64')}`],
    ['65 bytes', `whsec_${Buffer.alloc(65, 1).toString('base64')}`],
  ])('refuses a secret with %s, without echoing it', (_, secret) => {
    let thrown: unknown;
    try {
      parseWebhookSecret(secret);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect(thrown).toMatchObject({
      code: 'validation-failed',
      details: { reason: 'malformed-webhook-secret' },
    });
    const encoded = secret.replace(/^whsec_/i, '');
    if (encoded) expect((thrown as Error).message).not.toContain(encoded);
  });

  it('refuses to sign or verify without a secret, or with a malformed one', () => {
    expect(() => signWebhook({ id: ID, timestamp: T, body: BODY }, [])).toThrow(DomainError);
    expect(() => signWebhook({ id: ID, timestamp: T, body: BODY }, [SECRET, 'whsec_short'])).toThrow(
      DomainError,
    );
    const headers = signWebhook({ id: ID, timestamp: T, body: BODY }, [SECRET]);
    expect(() => verifyWebhook(headers, BODY, [], { now: NOW })).toThrow(DomainError);
    expect(() => verifyWebhook(headers, BODY, ['nope'], { now: NOW })).toThrow(DomainError);
  });
});

describe('signWebhook', () => {
  it('writes the three Standard Webhooks headers, one v1 entry per secret', () => {
    const headers = signWebhook({ id: ID, timestamp: T, body: BODY }, [SECRET, OTHER]);
    expect(Object.keys(headers).sort()).toEqual(['webhook-id', 'webhook-signature', 'webhook-timestamp']);
    expect(headers['webhook-id']).toBe(ID);
    expect(headers['webhook-timestamp']).toBe(String(T));
    const entries = headers['webhook-signature'].split(' ');
    expect(entries).toHaveLength(2);
    for (const entry of entries) expect(entry).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(entries[0]).toBe(signWebhook({ id: ID, timestamp: T, body: BODY }, [SECRET])['webhook-signature']);
    expect(entries[1]).toBe(signWebhook({ id: ID, timestamp: T, body: BODY }, [OTHER])['webhook-signature']);
  });

  it('signs the UTF-8 bytes of a string body: a string and its bytes sign alike', () => {
    const fromString = signWebhook({ id: ID, timestamp: T, body: NON_ASCII_VECTOR.body }, [SECRET]);
    const fromBytes = signWebhook({ id: ID, timestamp: T, body: utf8(NON_ASCII_VECTOR.body) }, [SECRET]);
    expect(fromBytes).toEqual(fromString);
  });

  it('signs exactly the bytes of a view, not the rest of its buffer', () => {
    const backing = new Uint8Array([9, 9, ...utf8(BODY), 9]);
    const view = backing.subarray(2, 2 + utf8(BODY).length);
    expect(signWebhook({ id: ID, timestamp: T, body: view }, [SECRET])).toEqual(
      signWebhook({ id: ID, timestamp: T, body: BODY }, [SECRET]),
    );
  });

  it.each([
    ['an empty id', '', T],
    ['an id with a space', 'dlv 1', T],
    ['an id with a newline', 'dlv\n1', T],
    ['a non-ASCII id', 'dlv_é', T],
    ['an id too long', 'd'.repeat(257), T],
    ['a fractional timestamp', ID, T + 0.5],
    ['a negative timestamp', ID, -1],
    ['a timestamp beyond safe integers', ID, 2 ** 53],
  ])('refuses %s', (_, id, timestamp) => {
    expect(() => signWebhook({ id, timestamp, body: BODY }, [SECRET])).toThrow(DomainError);
  });
});

describe('verifyWebhook', () => {
  const signed = signWebhook({ id: ID, timestamp: T, body: BODY }, [SECRET]);

  it('accepts what signWebhook signed, as a string or as bytes', () => {
    expect(verifyWebhook(signed, BODY, [SECRET], { now: NOW })).toEqual({ ok: true, id: ID, timestamp: T });
    expect(verifyWebhook(signed, utf8(BODY), [SECRET], { now: NOW })).toMatchObject({ ok: true });
  });

  it('accepts an empty body', () => {
    const headers = signWebhook({ id: ID, timestamp: T, body: '' }, [SECRET]);
    expect(verifyWebhook(headers, new Uint8Array(), [SECRET], { now: NOW })).toMatchObject({ ok: true });
  });

  it('reads header names in any case', () => {
    const shouted = {
      'Webhook-Id': signed['webhook-id'],
      'WEBHOOK-TIMESTAMP': signed['webhook-timestamp'],
      'Webhook-Signature': signed['webhook-signature'],
    };
    expect(verifyWebhook(shouted, BODY, [SECRET], { now: NOW })).toMatchObject({ ok: true });
  });

  describe('rotation', () => {
    const both = signWebhook({ id: ID, timestamp: T, body: BODY }, [SECRET, OTHER]);

    it('a receiver holding either secret accepts a delivery signed with both', () => {
      expect(verifyWebhook(both, BODY, [SECRET], { now: NOW })).toMatchObject({ ok: true });
      expect(verifyWebhook(both, BODY, [OTHER], { now: NOW })).toMatchObject({ ok: true });
    });

    it('a receiver holding both secrets accepts a delivery signed with either', () => {
      for (const secret of [SECRET, OTHER]) {
        const one = signWebhook({ id: ID, timestamp: T, body: BODY }, [secret]);
        expect(verifyWebhook(one, BODY, [SECRET, OTHER], { now: NOW })).toMatchObject({ ok: true });
      }
    });

    it('a receiver holding neither refuses it', () => {
      expect(verifyWebhook(both, BODY, [generateWebhookSecret()], { now: NOW })).toEqual({
        ok: false,
        reason: 'bad-signature',
      });
    });
  });

  describe('tampering', () => {
    it.each([
      ['the id', { ...signed, 'webhook-id': `${ID}x` }, BODY],
      ['the timestamp', { ...signed, 'webhook-timestamp': String(T + 1) }, BODY],
      ['the body', signed, BODY.replace('42', '43')],
      ['one bit of the body', signed, utf8(BODY).map((byte, i) => (i === 5 ? byte ^ 1 : byte))],
      ['the body by re-serialising its JSON', signed, JSON.stringify(JSON.parse(BODY), null, 2)],
      ['the body by a trailing newline', signed, `${BODY}\n`],
      [
        'the signature',
        { ...signed, 'webhook-signature': flipFirstDigestCharacter(signed['webhook-signature']) },
        BODY,
      ],
    ])('refuses a changed %s', (_, headers, body) => {
      expect(verifyWebhook(headers, body, [SECRET], { now: NOW })).toEqual({
        ok: false,
        reason: 'bad-signature',
      });
    });

    it('refuses a signature made with another secret', () => {
      const forged = signWebhook({ id: ID, timestamp: T, body: BODY }, [generateWebhookSecret()]);
      expect(verifyWebhook(forged, BODY, [SECRET], { now: NOW })).toEqual({
        ok: false,
        reason: 'bad-signature',
      });
    });

    it('refuses a signature of another id.timestamp split of the same content', () => {
      // `dlv.1` at `767225600` signs "dlv.1.767225600." — not the same text as `dlv` at `1767225600`.
      const shifted = signWebhook({ id: 'dlv.1', timestamp: 767225600, body: BODY }, [SECRET]);
      const claimed = { ...shifted, 'webhook-id': 'dlv', 'webhook-timestamp': String(T) };
      expect(verifyWebhook(claimed, BODY, [SECRET], { now: NOW })).toEqual({
        ok: false,
        reason: 'bad-signature',
      });
    });
  });

  describe('signature versions', () => {
    const v1 = signed['webhook-signature'];
    const digest = v1.slice(3);

    it('ignores entries of unknown versions and accepts any matching v1 entry', () => {
      const value = `v2,${digest} v1a,${digest} v1,${'A'.repeat(43)}= ${v1} v0`;
      expect(
        verifyWebhook({ ...signed, 'webhook-signature': value }, BODY, [SECRET], { now: NOW }),
      ).toMatchObject({
        ok: true,
      });
    });

    it.each([
      ['only unknown versions', `v2,${digest} V1,${digest} v1a,${digest}`],
      ['no version', digest],
      ['a v1 entry truncated', v1.slice(0, -2)],
      ['a v1 entry with spaces in it', `v1, ${digest}`],
      ['a v1 entry followed by junk', `${v1},`],
      ['only separators', '   '],
    ])('refuses %s', (_, value) => {
      expect(verifyWebhook({ ...signed, 'webhook-signature': value }, BODY, [SECRET], { now: NOW })).toEqual({
        ok: false,
        reason: 'bad-signature',
      });
    });

    it('tolerates extra spaces between entries', () => {
      const value = `  v2,${digest}   ${v1}  `;
      expect(
        verifyWebhook({ ...signed, 'webhook-signature': value }, BODY, [SECRET], { now: NOW }),
      ).toMatchObject({
        ok: true,
      });
    });
  });

  describe('timestamps', () => {
    it.each([
      ['5 minutes old', T + 300],
      ['5 minutes ahead', T - 300],
      ['on the second', T],
    ])('accepts a delivery %s', (_, now) => {
      expect(verifyWebhook(signed, BODY, [SECRET], { now: at(now) })).toMatchObject({ ok: true });
    });

    it('counts whole seconds, as the timestamp does', () => {
      expect(verifyWebhook(signed, BODY, [SECRET], { now: new Date((T + 300) * 1000 + 999) })).toMatchObject({
        ok: true,
      });
    });

    it.each([
      ['stale', T + 301],
      ['from the future', T - 301],
      ['a day old', T + 86_400],
    ])('refuses a delivery %s, before checking the signature', (_, now) => {
      expect(verifyWebhook(signed, BODY, [SECRET], { now: at(now) })).toEqual({
        ok: false,
        reason: 'stale-timestamp',
      });
      const forged = { ...signed, 'webhook-signature': 'v1,forged' };
      expect(verifyWebhook(forged, BODY, [SECRET], { now: at(now) })).toMatchObject({
        reason: 'stale-timestamp',
      });
    });

    it('takes another tolerance', () => {
      expect(verifyWebhook(signed, BODY, [SECRET], { now: at(T + 30), toleranceSeconds: 30 })).toMatchObject({
        ok: true,
      });
      expect(verifyWebhook(signed, BODY, [SECRET], { now: at(T + 31), toleranceSeconds: 30 })).toEqual({
        ok: false,
        reason: 'stale-timestamp',
      });
      expect(
        verifyWebhook(signed, BODY, [SECRET], { now: at(T + 3600), toleranceSeconds: 3600 }),
      ).toMatchObject({
        ok: true,
      });
      expect(() => verifyWebhook(signed, BODY, [SECRET], { now: NOW, toleranceSeconds: -1 })).toThrow(
        DomainError,
      );
    });
  });

  describe('missing or unreadable headers', () => {
    it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const)(
      'refuses a delivery without %s',
      (name) => {
        const { [name]: _, ...rest } = signed;
        expect(verifyWebhook(rest, BODY, [SECRET], { now: NOW })).toEqual({
          ok: false,
          reason: 'missing-headers',
        });
        expect(verifyWebhook({ ...signed, [name]: '' }, BODY, [SECRET], { now: NOW })).toEqual({
          ok: false,
          reason: 'missing-headers',
        });
      },
    );

    it.each([
      'not-a-number',
      '1767225600.0',
      '+1767225600',
      '-1767225600',
      '01767225600',
      ' 1767225600',
      '1767225600ms',
      '1e9',
      '1767225600000000',
    ])('refuses the timestamp %j', (stamp) => {
      expect(verifyWebhook({ ...signed, 'webhook-timestamp': stamp }, BODY, [SECRET], { now: NOW })).toEqual({
        ok: false,
        reason: 'missing-headers',
      });
    });
  });
});

describe('published vectors', () => {
  it.each(WEBHOOK_VECTORS.map((vector) => [vector.name, vector] as const))('%s', (_, vector) => {
    const headers = signWebhook(
      { id: vector.id, timestamp: vector.timestamp, body: vector.body },
      vector.secrets,
    );
    expect(headers).toEqual({
      'webhook-id': vector.id,
      'webhook-timestamp': String(vector.timestamp),
      'webhook-signature': vector.signature,
    });
    expect(
      verifyWebhook(headers, utf8(vector.body), vector.secrets, { now: at(vector.timestamp) }),
    ).toMatchObject({
      ok: true,
    });

    // The reference implementation agrees, entry by entry, and accepts the header as it is.
    const theirs = vector.secrets.map((secret) =>
      new Webhook(secret).sign(vector.id, at(vector.timestamp), vector.body),
    );
    expect(theirs.join(' ')).toBe(vector.signature);
    for (const secret of vector.secrets) {
      atTime(vector.timestamp, () =>
        new Webhook(secret).verify(Buffer.from(vector.body, 'utf8'), headers, { jsonParse: false }),
      );
    }
  });

  it('the rotation vector holds the non-ASCII vector as its first entry', () => {
    expect(ROTATION_VECTOR.signature.startsWith(`${NON_ASCII_VECTOR.signature} `)).toBe(true);
    expect(Buffer.byteLength(NON_ASCII_VECTOR.body)).toBe(108);
  });
});

describe('interoperability with the standardwebhooks package', () => {
  type Kind = 'latin1-string' | 'unicode-string' | 'lone-surrogate-string' | 'utf8-bytes' | 'random-bytes';

  const keys = fc
    .uint8Array({ minLength: 24, maxLength: 64 })
    .map((bytes) => `whsec_${Buffer.from(bytes).toString('base64')}`);
  const ids = fc.string({
    unit: fc.integer({ min: 0x21, max: 0x7e }).map((code) => String.fromCharCode(code)),
    minLength: 1,
    maxLength: 64,
  });
  const timestamps = fc.integer({ min: 0, max: 2 ** 36 });
  const loneSurrogates = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));
  const bodies: fc.Arbitrary<{ kind: Kind; body: WebhookBody }> = fc.oneof(
    fc
      .string({ unit: 'binary-ascii', maxLength: 500 })
      .map((body) => ({ kind: 'latin1-string' as const, body })),
    fc.string({ unit: 'binary', maxLength: 500 }).map((body) => ({ kind: 'unicode-string' as const, body })),
    fc
      .array(fc.oneof(fc.string({ unit: 'binary', maxLength: 5 }), loneSurrogates), { maxLength: 50 })
      .map((parts) => ({ kind: 'lone-surrogate-string' as const, body: parts.join('') })),
    fc
      .string({ unit: 'binary', maxLength: 500 })
      .map((text) => ({ kind: 'utf8-bytes' as const, body: utf8(text) })),
    fc.uint8Array({ maxLength: 500 }).map((body) => ({ kind: 'random-bytes' as const, body })),
  );
  const isUtf8 = (body: WebhookBody): boolean => {
    if (typeof body === 'string') return true;
    try {
      new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
      return true;
    } catch {
      return false;
    }
  };

  const RUNS = 1000;

  it(`agrees both ways over random secrets, ids, timestamps and bodies (${RUNS} runs)`, () => {
    const seen = new Map<Kind, { runs: number; utf8: number }>();
    fc.assert(
      fc.property(
        fc.array(keys, { minLength: 1, maxLength: 3 }),
        ids,
        timestamps,
        bodies,
        fc.integer({ min: -300, max: 300 }),
        (secrets, id, timestamp, { kind, body }, skew) => {
          const interoperable = isUtf8(body);
          const tally = seen.get(kind) ?? { runs: 0, utf8: 0 };
          seen.set(kind, { runs: tally.runs + 1, utf8: tally.utf8 + (interoperable ? 1 : 0) });
          const now = timestamp + skew;

          // Ours → theirs: each secret's receiver accepts our header.
          const ours = signWebhook({ id, timestamp, body }, secrets);
          expect(verifyWebhook(ours, body, secrets, { now: at(now) })).toEqual({ ok: true, id, timestamp });
          const theirs = secrets.map((secret) => new Webhook(secret).sign(id, at(timestamp), asBuffer(body)));
          for (const secret of secrets) {
            const verify = () =>
              atTime(now, () => new Webhook(secret).verify(asBuffer(body), ours, { jsonParse: false }));
            if (interoperable) expect(verify).not.toThrow();
            // The package turns a Buffer into a string before signing: bytes that are not UTF-8 become U+FFFD.
            else expect(verify).toThrow(WebhookVerificationError);
          }

          // Theirs → ours: the same entries, and we accept them (all together, or any one alone).
          if (interoperable) expect(theirs.join(' ')).toBe(ours['webhook-signature']);
          for (const entry of theirs) {
            const headers = { ...ours, 'webhook-signature': entry };
            expect(verifyWebhook(headers, body, secrets, { now: at(now) })).toEqual(
              interoperable ? { ok: true, id, timestamp } : { ok: false, reason: 'bad-signature' },
            );
          }
        },
      ),
      { numRuns: RUNS },
    );
    for (const kind of [
      'latin1-string',
      'unicode-string',
      'lone-surrogate-string',
      'utf8-bytes',
      'random-bytes',
    ] as const) {
      expect(seen.get(kind)?.runs ?? 0, kind).toBeGreaterThan(RUNS / 10);
    }
    // Random bytes are mostly not UTF-8: the divergent branch ran.
    const random = seen.get('random-bytes')!;
    expect(random.runs - random.utf8).toBeGreaterThan(RUNS / 20);
  });

  it('their verify refuses what ours refuses: a changed body or a stale timestamp', () => {
    fc.assert(
      fc.property(
        keys,
        ids,
        timestamps,
        fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }),
        (secret, id, timestamp, body) => {
          const ours = signWebhook({ id, timestamp, body }, [secret]);
          const changed = `${body}x`;
          expect(verifyWebhook(ours, changed, [secret], { now: at(timestamp) })).toMatchObject({
            reason: 'bad-signature',
          });
          expect(() =>
            atTime(timestamp, () => new Webhook(secret).verify(changed, ours, { jsonParse: false })),
          ).toThrow(WebhookVerificationError);
          expect(verifyWebhook(ours, body, [secret], { now: at(timestamp + 301) })).toMatchObject({
            reason: 'stale-timestamp',
          });
          expect(() =>
            atTime(timestamp + 301, () => new Webhook(secret).verify(body, ours, { jsonParse: false })),
          ).toThrow(WebhookVerificationError);
        },
      ),
      { numRuns: 200 },
    );
  });
});
