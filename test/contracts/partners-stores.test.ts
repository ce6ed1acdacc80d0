import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoHealthStateStore } from '../../shared/partners/adapters/dynamo-health-state-store.ts';
import { DynamoNoticeStore } from '../../shared/partners/adapters/dynamo-notice-store.ts';
import { DynamoOnceStore } from '../../shared/partners/adapters/dynamo-once-store.ts';
import { DynamoPartnerStore } from '../../shared/partners/adapters/dynamo-partner-store.ts';
import { DynamoPollLog } from '../../shared/partners/adapters/dynamo-poll-log.ts';
import { DynamoTrafficStore } from '../../shared/partners/adapters/dynamo-traffic-store.ts';
import { DynamoTransitionLog } from '../../shared/partners/adapters/dynamo-transition-log.ts';
import { KmsRecordSigner } from '../../shared/partners/adapters/kms-record-signer.ts';
import { noticeKey } from '../../shared/partners/adapters/partners-keys.ts';
import { aNotice } from '../../shared/partners/testing/fixtures.ts';
import {
  healthStateStoreContract,
  noticeStoreContract,
  onceStoreContract,
  partnerStoreContract,
  pollLogContract,
  trafficStoreContract,
  transitionLogContract,
} from '../../shared/partners/testing/partner-stores.contract.ts';
import { aws } from '../support/platform.ts';
import { freshTables, suiteKey } from './fresh-resources.ts';

const table = freshTables('partners');
const key = suiteKey();
const noticeStore = async (forgeries: unknown[] = []) => {
  const name = await table();
  const signer = new KmsRecordSigner(aws().kms, await key(), aws().document, name);
  return { name, store: new DynamoNoticeStore(aws().document, name, signer, (k) => void forgeries.push(k)) };
};

partnerStoreContract(
  'DynamoPartnerStore (emulator)',
  async () => new DynamoPartnerStore(aws().document, await table()),
);
noticeStoreContract('DynamoNoticeStore (emulator)', async () => (await noticeStore()).store);
healthStateStoreContract(
  'DynamoHealthStateStore (emulator)',
  async () => new DynamoHealthStateStore(aws().document, await table()),
);
onceStoreContract(
  'DynamoOnceStore (emulator)',
  async (clock) => new DynamoOnceStore(aws().document, await table(), clock),
);
trafficStoreContract(
  'DynamoTrafficStore (emulator)',
  async () => new DynamoTrafficStore(aws().document, await table()),
);

pollLogContract('DynamoPollLog (emulator)', async () => new DynamoPollLog(aws().document, await table()));
transitionLogContract(
  'DynamoTransitionLog (emulator)',
  async () => new DynamoTransitionLog(aws().document, await table()),
);

describe('signed notice records (emulator)', () => {
  it('leaves out and reports a record changed around the store, and one moved under another key', async () => {
    const forgeries: unknown[] = [];
    const { name, store } = await noticeStore(forgeries);
    await store.save(aNotice('p', 'n1'), undefined);
    await store.save(aNotice('p', 'n2'), undefined);
    // Someone with write access to the table but not to the key stretches n1 by a year.
    await aws().document.send(
      new UpdateCommand({
        TableName: name,
        Key: noticeKey('p', 'partner', 'n1'),
        UpdateExpression: 'SET notice.#end = :end',
        ExpressionAttributeNames: { '#end': 'end' },
        ExpressionAttributeValues: { ':end': 2_000 + 365 * 86_400_000 },
      }),
    );
    expect((await store.list('p')).map((n) => n.noticeId)).toEqual(['n2']);
    expect(await store.get('p', 'partner', 'n1')).toBeUndefined();
    expect(forgeries).toEqual([noticeKey('p', 'partner', 'n1'), noticeKey('p', 'partner', 'n1')]);
  });

  it('shares one signing key between signers of the same table, created once', async () => {
    const name = await table();
    const keyId = await key();
    const [a, b] = [
      new KmsRecordSigner(aws().kms, keyId, aws().document, name),
      new KmsRecordSigner(aws().kms, keyId, aws().document, name),
    ];
    const [sa, sb] = await Promise.all([a.sign({ x: 1 }), b.sign({ x: 1 })]);
    expect(sa).toBe(sb);
    expect(await a.verify({ x: 1 }, sb)).toBe(true);
    expect(await a.verify({ x: 2 }, sb)).toBe(false);
    expect(await a.verify({ x: 1 }, `${sb}x`)).toBe(false);
  });
});
