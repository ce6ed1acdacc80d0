import { DynamoConnectionStore } from '../../shared/messages/adapters/dynamo-connection-store.ts';
import { connectionStoreContract } from '../../shared/messages/testing/connection-store.contract.ts';
import { aws } from '../support/platform.ts';
import { freshTables } from './fresh-resources.ts';

const table = freshTables('connections');

connectionStoreContract(
  'DynamoConnectionStore (emulator)',
  async () => new DynamoConnectionStore(aws().document, await table()),
);
