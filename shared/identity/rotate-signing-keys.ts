import type { PublicKeyStore, SigningKeyStore } from './ports.ts';
import { planRotation, publicJwks, type RotationOutcome } from './signing-keys.ts';

/**
 * The scheduled job. Publishes the public keys before saving the private ones, so no token is ever
 * signed with a key verifiers cannot find; re-publishes when the two have drifted apart.
 */
export async function rotateSigningKeys(
  deps: { privateKeys: SigningKeyStore; publicKeys: PublicKeyStore },
  now: Date,
  rotateAfterMs: number,
): Promise<{ outcome: RotationOutcome; kids: string[] }> {
  const { outcome, keys } = await planRotation(await deps.privateKeys.load(), now, rotateAfterMs);
  const jwks = publicJwks(keys);
  const kids = keys.keys.map((k) => k.kid);
  if (outcome === 'unchanged') {
    const published = (await deps.publicKeys.load()).keys.map((k) => k.kid);
    if (published.join() !== kids.join()) await deps.publicKeys.save(jwks);
    return { outcome, kids };
  }
  await deps.publicKeys.save(jwks);
  await deps.privateKeys.save(keys);
  return { outcome, kids };
}
