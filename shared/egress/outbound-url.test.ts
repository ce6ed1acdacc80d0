import { describe, expect, it } from 'vitest';
import { DomainError } from '../kernel/errors.ts';
import { EgressGuard } from './guard.ts';
import { checkOutboundUrl } from './outbound-url.ts';
import { parseEgressAllowList } from './policy.ts';
import { FakeResolver } from './testing/fake-resolver.ts';

const resolver = new FakeResolver({
  'partner.example': ['93.184.215.14'],
  'rebinds.example': ['10.0.0.8'],
});
const strict = new EgressGuard(parseEgressAllowList(''), resolver);
const local = new EgressGuard(parseEgressAllowList('loopback'), resolver);

const refusal = async (guard: EgressGuard, url: string | undefined) => {
  try {
    await checkOutboundUrl(guard, url, '/notices/url');
    return undefined;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return (error.details.errors as { pointer: string; message: string }[])[0];
  }
};

describe('an outbound URL', () => {
  it('passes over HTTPS to a public address', async () => {
    expect(await refusal(strict, 'https://partner.example/notices')).toBeUndefined();
  });

  it.each([
    [undefined, 'is required'],
    ['not a url', 'is not a valid URL'],
    ['http://partner.example/x', 'must use https'],
    ['ftp://partner.example/x', 'must use https'],
    ['https://user:pw@partner.example/x', 'may not carry credentials'],
    ['https://partner.example/x#f', 'may not carry a fragment'],
    ['https://169.254.169.254/latest', 'is a cloud metadata address'],
    ['https://rebinds.example/x', 'resolves to a private address (10.0.0.8)'],
    ['https://unknown.example/x', 'does not resolve'],
  ])('refuses %s, naming the field', async (url, message) => {
    expect(await refusal(strict, url)).toEqual({ pointer: '/notices/url', message });
  });

  it('takes plain HTTP to loopback only where the policy allows loopback', async () => {
    expect(await refusal(local, 'http://127.0.0.1:9999/notices')).toBeUndefined();
    expect(await refusal(strict, 'http://127.0.0.1:9999/notices')).toMatchObject({
      message: 'is a loopback address',
    });
  });
});
