import { DynamoAggregateStore } from '../../shared/analytics/adapters/dynamo-aggregate-store.ts';
import { aggregateStoreContract } from '../../shared/analytics/testing/aggregate-store.contract.ts';
import { aws } from '../support/platform.ts';
import { freshTables } from './fresh-resources.ts';

const table = freshTables('aggregates');

aggregateStoreContract(
  'DynamoAggregateStore (emulator)',
  async () => new DynamoAggregateStore(aws().document, await table()),
);
