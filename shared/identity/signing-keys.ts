import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JSONWebKeySet, type JWK } from 'jose';

export const SIGNING_ALG = 'ES256';

/**
 * Keys move next → current → previous → dropped. A `next` key is published in the JWKS one rotation
 * ahead of its first use, so verifiers that cache the JWKS already know it when tokens signed with it
 * appear; `previous` stays published so tokens signed before a rotation stay valid until they expire.
 */
export type KeyState = 'next' | 'current' | 'previous';

export interface SigningKey {
  kid: string;
  alg: typeof SIGNING_ALG;
  state: KeyState;
  createdAt: string;
  /** When the key became `current`. */
  activatedAt?: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

export interface SigningKeySet {
  keys: SigningKey[];
}

export async function generateSigningKey(now: Date, state: KeyState): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return {
    kid,
    alg: SIGNING_ALG,
    state,
    createdAt: now.toISOString(),
    ...(state === 'current' ? { activatedAt: now.toISOString() } : {}),
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: SIGNING_ALG },
    publicJwk: { ...publicJwk, kid, alg: SIGNING_ALG, use: 'sig' },
  };
}

export const currentKey = (set: SigningKeySet): SigningKey | undefined =>
  set.keys.find((k) => k.state === 'current');

export const publicJwks = (set: SigningKeySet): JSONWebKeySet => ({ keys: set.keys.map((k) => k.publicJwk) });

export type RotationOutcome = 'bootstrapped' | 'rotated' | 'unchanged';

/**
 * Decides what the scheduled job does: creates the first keys, rotates when the current key has been
 * in use for `rotateAfterMs`, or leaves the set alone. Pure apart from key generation.
 */
export async function planRotation(
  set: SigningKeySet,
  now: Date,
  rotateAfterMs: number,
): Promise<{ outcome: RotationOutcome; keys: SigningKeySet }> {
  const current = currentKey(set);
  if (!current) {
    return {
      outcome: 'bootstrapped',
      keys: { keys: [await generateSigningKey(now, 'current'), await generateSigningKey(now, 'next')] },
    };
  }
  const activatedAt = Date.parse(current.activatedAt ?? current.createdAt);
  if (now.getTime() - activatedAt < rotateAfterMs) return { outcome: 'unchanged', keys: set };

  const next = set.keys.find((k) => k.state === 'next') ?? (await generateSigningKey(now, 'next'));
  return {
    outcome: 'rotated',
    keys: {
      keys: [
        { ...next, state: 'current', activatedAt: now.toISOString() },
        { ...current, state: 'previous' },
        await generateSigningKey(now, 'next'),
      ],
    },
  };
}
