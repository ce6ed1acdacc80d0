import { DynamoAuthFailureLimiter } from '../../shared/identity/adapters/dynamo-auth-failure-limiter.ts';
import { authFailureLimiterContract } from '../../shared/identity/testing/auth-failure-limiter.contract.ts';
import { aws } from '../support/platform.ts';
import { freshTables } from './fresh-resources.ts';

const table = freshTables('authfail');

authFailureLimiterContract(
  'DynamoAuthFailureLimiter (emulator)',
  async (limits) => new DynamoAuthFailureLimiter(aws().document, await table(), limits),
);
