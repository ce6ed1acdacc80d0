import { describe, expect, it } from 'vitest';
import { toProblem } from '../../http/problem.ts';
import { MemoryLeaseStore } from '../testing/memory-lease-store.ts';
import { RateLimiter } from './limiter.ts';
import { rateLimitedProblem } from './problem.ts';

describe('rateLimitedProblem', () => {
  it('answers 429 with the violated policies and the RateLimit and Retry-After headers', async () => {
    const limiter = new RateLimiter({ store: new MemoryLeaseStore() });
    const rules = [{ name: 'app-api', key: 'app-api#a#echo', policy: { limit: 1, windowSeconds: 60 } }];
    await limiter.check(rules, 1_700_000_040_000);
    const problem = toProblem(rateLimitedProblem(await limiter.check(rules, 1_700_000_055_000)));
    expect(problem.status).toBe(429);
    expect(problem.headers).toEqual({
      'RateLimit-Policy': '"app-api";q=1;w=60',
      RateLimit: '"app-api";r=0;t=45',
      'Retry-After': '45',
    });
    expect(problem.toBody('req-1')).toMatchObject({
      type: 'urn:portico:problem:rate-limited',
      status: 429,
      detail: 'Rate limit exceeded (app-api); retry in 45 s.',
      'violated-policies': ['app-api'],
    });
  });
});
