import { DynamoApiRegistry } from '../../shared/gateway/adapters/dynamo-api-registry.ts';
import { apiRegistryContract } from '../../shared/gateway/testing/api-registry.contract.ts';
import { aws } from '../support/platform.ts';
import { freshTables } from './fresh-resources.ts';

const table = freshTables('registry');

apiRegistryContract(
  'DynamoApiRegistry (emulator)',
  async () => new DynamoApiRegistry(aws().document, await table()),
  {
    // moto does not serialise concurrent conditional writes to one item (DynamoDB does): two puts with
    // the same expected revision can both pass there, so the concurrent case runs on the in-memory side.
    concurrentWritesAreAtomic: false,
  },
);
