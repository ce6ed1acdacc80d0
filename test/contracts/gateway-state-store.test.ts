import { DynamoStateStore } from '../../shared/gateway/adapters/dynamo-state-store.ts';
import { gatewayStateStoreContract } from '../../shared/gateway/testing/gateway-state-store.contract.ts';
import { aws } from '../support/platform.ts';
import { freshTables } from './fresh-resources.ts';

const table = freshTables('state');

gatewayStateStoreContract(
  'DynamoStateStore (emulator)',
  async (clock) => new DynamoStateStore(aws().document, await table(), { now: clock }),
);
