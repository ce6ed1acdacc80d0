import { authFailureLimiterContract } from './auth-failure-limiter.contract.ts';
import { CountingFailureLimiter } from './memory-token-stores.ts';

authFailureLimiterContract('CountingFailureLimiter', async (limits) => new CountingFailureLimiter(limits));
