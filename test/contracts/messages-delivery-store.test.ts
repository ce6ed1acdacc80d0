import { DynamoDeliveryStore } from '../../shared/messages/adapters/dynamo-delivery-store.ts';
import { deliveryStoreContract } from '../../shared/messages/testing/delivery-store.contract.ts';
import { aws } from '../support/platform.ts';
import { freshTables } from './fresh-resources.ts';

const table = freshTables('deliveries');

deliveryStoreContract(
  'DynamoDeliveryStore (emulator)',
  async () => new DynamoDeliveryStore(aws().document, await table()),
);
