import { describe, expect, it } from 'vitest';
import { currentKey, planRotation, publicJwks } from './signing-keys.ts';

const DAY = 86_400_000;

describe('signing key rotation', () => {
  it('bootstraps a current key and a published next key', async () => {
    const { outcome, keys } = await planRotation({ keys: [] }, new Date('2026-01-01'), 30 * DAY);
    expect(outcome).toBe('bootstrapped');
    expect(keys.keys.map((k) => k.state)).toEqual(['current', 'next']);
    expect(publicJwks(keys).keys).toHaveLength(2);
    for (const jwk of publicJwks(keys).keys) expect(jwk).not.toHaveProperty('d');
  });

  it('leaves a young key alone and rotates an old one, promoting the published next key', async () => {
    const start = new Date('2026-01-01');
    const { keys } = await planRotation({ keys: [] }, start, 30 * DAY);
    const early = await planRotation(keys, new Date(start.getTime() + 29 * DAY), 30 * DAY);
    expect(early.outcome).toBe('unchanged');

    const published = keys.keys.find((k) => k.state === 'next')!;
    const old = currentKey(keys)!;
    const late = await planRotation(keys, new Date(start.getTime() + 31 * DAY), 30 * DAY);
    expect(late.outcome).toBe('rotated');
    expect(currentKey(late.keys)?.kid).toBe(published.kid);
    expect(late.keys.keys.find((k) => k.state === 'previous')?.kid).toBe(old.kid);
    expect(late.keys.keys.filter((k) => k.state === 'next')).toHaveLength(1);
    expect(late.keys.keys).toHaveLength(3);
  });
});
