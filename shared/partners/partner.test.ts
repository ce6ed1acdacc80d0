import { describe, expect, it } from 'vitest';
import { DomainError } from '../kernel/errors.ts';
import { DEFAULT_NOTICE_MAPPING } from './notice-answer.ts';
import { DEFAULT_HEALTH_POLICY, readPartner } from './partner.ts';

const minimal = { partnerId: 'gddianxin', name: 'Guangdong Telecom' };
const violations = (body: unknown): string[] => {
  try {
    readPartner(body, false);
    return [];
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return (error.details.errors as { pointer: string }[]).map((e) => e.pointer);
  }
};

describe('a partner definition', () => {
  it('fills every default a minimal one leaves out', () => {
    expect(readPartner(minimal, false).partner).toEqual({
      ...minimal,
      partnerNoticesOn: true,
      policy: DEFAULT_HEALTH_POLICY,
      defaultHealthy: true,
      rank: 100,
      encrypted: false,
    });
  });

  it('completes a notice mapping and a probe from the defaults', () => {
    const { partner } = readPartner(
      {
        ...minimal,
        notices: {
          url: 'https://partner.example/notices',
          ourId: 'portico',
          pollIntervalSeconds: 300,
          mapping: { utcOffset: '+08:00' },
        },
        probe: { url: 'https://partner.example/ping' },
      },
      false,
    );
    expect(partner.notices?.mapping).toEqual({ ...DEFAULT_NOTICE_MAPPING, utcOffset: '+08:00' });
    expect(partner.probe).toEqual({
      url: 'https://partner.example/ping',
      method: 'GET',
      passStatus: { min: 200, max: 399 },
      timeoutMs: 2_000,
    });
  });

  it('is encrypted while a key is set or kept, and not once it is removed', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(readPartner({ ...minimal, aesKey: key }, false).partner.encrypted).toBe(true);
    expect(readPartner(minimal, true).partner.encrypted).toBe(true);
    expect(readPartner({ ...minimal, aesKey: null }, true).partner.encrypted).toBe(false);
  });

  it.each([
    ['an id with a slash', { partnerId: 'a/b' }, ['/partnerId']],
    [
      'a ramp that does not end at 100 %',
      { policy: { ramp: [{ percent: 50, minDurationMs: 1, minCalls: 1 }] } },
      ['/policy/ramp'],
    ],
    [
      'a ramp that goes down',
      {
        policy: {
          ramp: [
            { percent: 25, minDurationMs: 1, minCalls: 1 },
            { percent: 5, minDurationMs: 1, minCalls: 1 },
            { percent: 100, minDurationMs: 1, minCalls: 1 },
          ],
        },
      },
      ['/policy/ramp'],
    ],
    [
      'a backoff cap below its base',
      { policy: { backoff: { baseMs: 60_000, maxMs: 1_000 } } },
      ['/policy/backoff/maxMs'],
    ],
    ['a short secret', { sharedSecret: 'short' }, ['/sharedSecret']],
    ['a 16-byte AES key', { aesKey: Buffer.alloc(16).toString('base64') }, ['/aesKey', '/aesKey', '/aesKey']],
    [
      'a poll every 10 s',
      { notices: { url: 'https://p.example', ourId: 'x', pollIntervalSeconds: 10 } },
      ['/notices/pollIntervalSeconds'],
    ],
    ['an unknown field', { owner: 'me' }, ['/owner']],
    [
      'a mapping path into the prototype chain',
      {
        notices: {
          url: 'https://p.example',
          ourId: 'x',
          pollIntervalSeconds: 60,
          mapping: { code: '__proto__.x.' },
        },
      },
      ['/notices/mapping/code'],
    ],
  ])('refuses %s, naming the field', (_name, change, pointers) => {
    expect(violations({ ...minimal, ...change })).toEqual(pointers);
  });
});
