import { afterEach, describe, expect, it, vi } from 'vitest';

/** Every function validates its environment when its module loads: a missing variable fails the cold start. */
describe('function configuration', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it.each([
    ['functions/gateway/handler.ts', /IDENTITY_TABLE is missing.*REGISTRY_TABLE is missing/],
    ['functions/oauth/token.ts', /SIGNING_KEYS_SECRET is missing/],
    ['functions/console/handler.ts', /SECRETS_KEY_ID is missing/],
    ['functions/keys/rotate.ts', /IDENTITY_TABLE is missing/],
  ])('%s refuses to load without its configuration', async (entry, message) => {
    for (const name of [
      'IDENTITY_TABLE',
      'REGISTRY_TABLE',
      'SIGNING_KEYS_SECRET',
      'SECRETS_KEY_ID',
      'TOKEN_ISSUER',
    ]) {
      vi.stubEnv(name, '');
    }
    await expect(import(`../${entry}`)).rejects.toThrow(message);
  });

  it('refuses a malformed value, not only a missing one', async () => {
    vi.stubEnv('IDENTITY_TABLE', 't');
    vi.stubEnv('SIGNING_KEYS_SECRET', 's');
    vi.stubEnv('TOKEN_ISSUER', 'not a url');
    await expect(import('./oauth/token.ts')).rejects.toThrow(/TOKEN_ISSUER must match pattern/);
  });
});
