import { DynamoSubscriptionStore } from '../../shared/messages/adapters/dynamo-subscription-store.ts';
import { subscriptionStoreContract } from '../../shared/messages/testing/subscription-store.contract.ts';
import { aws } from '../support/platform.ts';
import { freshTables } from './fresh-resources.ts';

const table = freshTables('subscriptions');

subscriptionStoreContract(
  'DynamoSubscriptionStore (emulator)',
  async () => new DynamoSubscriptionStore(aws().document, await table()),
);
