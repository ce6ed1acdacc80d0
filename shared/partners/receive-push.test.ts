import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { FakeCipher } from '../identity/testing/memory-stores.ts';
import { DomainError } from '../kernel/errors.ts';
import { partnerAesKeyContext, partnerSecretContext } from './partner-secrets.ts';
import { encryptBody, withSignature } from './partner-signature.ts';
import { receivePush } from './receive-push.ts';
import { aPartner } from './testing/fixtures.ts';
import { MemoryNoticeStore, MemoryOnceStore, MemoryPartnerStore } from './testing/memory-stores.ts';

const NOW = Date.parse('2020-07-01T12:00:00Z');
const SECRET = 'partner-shared-secret-0123456789abcdef';
const notice = (over: Record<string, unknown> = {}) => ({
  id: 'UC-051-20200702-96038',
  content: '系统故障',
  begin: '2020-7-2 00:00:00',
  end: '2020-7-3 00:00:00',
  effective: true,
  ...over,
});

describe('a partner push', () => {
  const cipher = new FakeCipher();
  let partners: MemoryPartnerStore;
  let notices: MemoryNoticeStore;
  let deps: Parameters<typeof receivePush>[0];
  const aesKey = randomBytes(32);

  beforeEach(async () => {
    partners = new MemoryPartnerStore();
    notices = new MemoryNoticeStore();
    deps = { partners, notices, once: new MemoryOnceStore(() => NOW), cipher };
    await partners.put(
      aPartner('gddianxin', {
        sharedSecretCiphertext: await cipher.encrypt(SECRET, partnerSecretContext('gddianxin')),
      }),
    );
    await partners.put(
      aPartner('sealed', {
        encrypted: true,
        sharedSecretCiphertext: await cipher.encrypt(SECRET, partnerSecretContext('sealed')),
        aesKeyCiphertext: await cipher.encrypt(aesKey.toString('base64'), partnerAesKeyContext('sealed')),
      }),
    );
  });

  const push = (params: Record<string, unknown>, at = NOW) => receivePush(deps, params, at);
  const signed = (params: Record<string, unknown>, secret = SECRET) => withSignature(params, secret, NOW);
  const refusal = async (params: Record<string, unknown>, at = NOW) => {
    try {
      await push(params, at);
    } catch (error) {
      if (error instanceof DomainError) return error.code;
      throw error;
    }
    return 'accepted';
  };

  it('stores the notices of a signed push, then a cancellation as a change, never a disappearance', async () => {
    expect(await push(signed({ partnerId: 'gddianxin', upgradeInfo: [notice()] }))).toEqual({
      created: ['UC-051-20200702-96038'],
      changed: [],
      unchanged: [],
    });
    expect(
      await push(signed({ partnerId: 'gddianxin', upgradeInfo: [notice({ effective: false })] })),
    ).toMatchObject({
      changed: ['UC-051-20200702-96038'],
    });
    expect(await notices.list('gddianxin')).toMatchObject([
      { source: 'partner', status: 'invalid', changeCount: 1, operatorId: 'partner:gddianxin' },
    ]);
  });

  it('opens an encrypted push with the partner key', async () => {
    const encrypted = encryptBody(JSON.stringify({ upgradeInfo: [notice()] }), aesKey);
    expect((await push(signed({ partnerId: 'sealed', encrypted }))).created).toHaveLength(1);
  });

  it.each([
    ['an unknown partner', () => signed({ partnerId: 'nobody', upgradeInfo: [] }), 'unauthorized'],
    [
      'another secret',
      () => signed({ partnerId: 'gddianxin', upgradeInfo: [notice()] }, 'x'.repeat(40)),
      'unauthorized',
    ],
    [
      'a changed notice after signing',
      () => ({
        ...signed({ partnerId: 'gddianxin', upgradeInfo: [notice()] }),
        upgradeInfo: [notice({ end: '2030-1-1 00:00:00' })],
      }),
      'unauthorized',
    ],
    [
      'begin ≥ end',
      () => signed({ partnerId: 'gddianxin', upgradeInfo: [notice({ begin: '2020-7-3 00:00:00' })] }),
      'validation-failed',
    ],
    [
      'a notice list that is not a list',
      () => signed({ partnerId: 'gddianxin', upgradeInfo: 'none' }),
      'validation-failed',
    ],
    [
      'a clear push from a partner with a key',
      () => signed({ partnerId: 'sealed', upgradeInfo: [notice()] }),
      'bad-request',
    ],
    [
      'an undecryptable body',
      () => signed({ partnerId: 'sealed', encrypted: encryptBody('{}', randomBytes(32)) }),
      'bad-request',
    ],
    [
      'a sealed body that is not JSON',
      () => signed({ partnerId: 'sealed', encrypted: encryptBody('{', aesKey) }),
      'malformed-body',
    ],
    [
      'a repeated notice id',
      () => signed({ partnerId: 'gddianxin', upgradeInfo: [notice(), notice()] }),
      'validation-failed',
    ],
  ])('refuses %s and stores nothing', async (_name, params, code) => {
    expect(await refusal(params())).toBe(code);
    expect(notices.notices.size).toBe(0);
  });

  it('refuses a stale timestamp and a replayed nonce, storing nothing more', async () => {
    const params = signed({ partnerId: 'gddianxin', upgradeInfo: [notice()] });
    expect(await refusal(params, NOW + 301_000)).toBe('unauthorized');
    expect(notices.notices.size).toBe(0);
    await push(params);
    expect(await refusal(params)).toBe('conflict');
    expect(notices.notices.size).toBe(1);
  });

  it('answers any body with accepted or a refusal, never a crash', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (body) => {
        const outcome = await receivePush(deps, body, NOW).then(
          () => 'accepted',
          (error) => (error instanceof DomainError ? error.code : 'crash'),
        );
        expect(outcome).not.toBe('crash');
      }),
    );
  });
});
