import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { FailureLimits } from '../adapters/dynamo-auth-failure-limiter.ts';
import type { AuthFailureLimiter } from '../ports.ts';

/** 20 s into a minute of 2030. */
const T0 = Date.UTC(2030, 0, 1, 12, 0, 20);
const at = (seconds: number) => new Date(T0 + seconds * 1000);

const unique = (prefix: string) => `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
const anIp = () => {
  const [a, b, c] = randomBytes(3);
  return `10.${a}.${b}.${c}`;
};

/** The limits the contract runs with: small, so a few failures reach them. */
export const CONTRACT_FAILURE_LIMITS: FailureLimits = { perClientPerMinute: 3, perIpPerMinute: 5 };

/**
 * What every `AuthFailureLimiter` must do (shared/identity/ports.ts): failures are counted per client
 * id and per source IP in fixed one-minute windows; reaching either limit blocks until the window ends,
 * and `blockedFor` says how long that is. `setup` builds the limiter with `limits`.
 */
export function authFailureLimiterContract(
  name: string,
  setup: (limits: FailureLimits) => Promise<AuthFailureLimiter>,
): void {
  const { perClientPerMinute, perIpPerMinute } = CONTRACT_FAILURE_LIMITS;

  describe(`AuthFailureLimiter contract: ${name}`, () => {
    it('lets a client without failures try', async () => {
      const limiter = await setup(CONTRACT_FAILURE_LIMITS);
      expect(await limiter.blockedFor(unique('ak'), anIp(), at(0))).toBeUndefined();
    });

    it('blocks a client once its failures reach the limit, from any address', async () => {
      const limiter = await setup(CONTRACT_FAILURE_LIMITS);
      const client = unique('ak');
      for (let i = 0; i < perClientPerMinute - 1; i++) await limiter.recordFailure(client, anIp(), at(i));
      expect(await limiter.blockedFor(client, anIp(), at(5))).toBeUndefined();
      await limiter.recordFailure(client, anIp(), at(6));
      expect(await limiter.blockedFor(client, anIp(), at(7))).toBeGreaterThan(0);
      expect(await limiter.blockedFor(unique('ak'), anIp(), at(7))).toBeUndefined();
    });

    it('blocks an address once its failures reach the limit, for any client', async () => {
      const limiter = await setup(CONTRACT_FAILURE_LIMITS);
      const ip = anIp();
      for (let i = 0; i < perIpPerMinute - 1; i++) await limiter.recordFailure(unique('ak'), ip, at(i));
      expect(await limiter.blockedFor(unique('ak'), ip, at(5))).toBeUndefined();
      await limiter.recordFailure(unique('ak'), ip, at(6));
      const fresh = unique('ak');
      expect(await limiter.blockedFor(fresh, ip, at(7))).toBeGreaterThan(0);
      expect(await limiter.blockedFor(fresh, anIp(), at(7))).toBeUndefined();
    });

    it('says how long to wait: the rest of the minute, after which the client may try again', async () => {
      const limiter = await setup(CONTRACT_FAILURE_LIMITS);
      const client = unique('ak');
      for (let i = 0; i < perClientPerMinute; i++) await limiter.recordFailure(client, anIp(), at(0));
      // 20 s into the minute: 40 s to wait.
      const wait = await limiter.blockedFor(client, anIp(), at(0));
      expect(wait).toBe(40);
      expect(await limiter.blockedFor(client, anIp(), at(wait! - 1))).toBe(1);
      expect(await limiter.blockedFor(client, anIp(), at(wait!))).toBeUndefined();
    });

    it('counts each minute afresh', async () => {
      const limiter = await setup(CONTRACT_FAILURE_LIMITS);
      const [client, ip] = [unique('ak'), anIp()];
      for (let i = 0; i < perClientPerMinute - 1; i++) await limiter.recordFailure(client, ip, at(30));
      for (let i = 0; i < perClientPerMinute - 1; i++) await limiter.recordFailure(client, ip, at(45));
      expect(await limiter.blockedFor(client, ip, at(50))).toBeUndefined();
    });
  });
}
