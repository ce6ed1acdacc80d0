import type { KMSClient } from '@aws-sdk/client-kms';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoHealthStateStore } from './dynamo-health-state-store.ts';
import { DynamoNoticeStore } from './dynamo-notice-store.ts';
import { DynamoOnceStore } from './dynamo-once-store.ts';
import { DynamoPartnerStore } from './dynamo-partner-store.ts';
import { DynamoPollLog } from './dynamo-poll-log.ts';
import { DynamoTrafficStore } from './dynamo-traffic-store.ts';
import { DynamoTransitionLog } from './dynamo-transition-log.ts';
import { KmsRecordSigner } from './kms-record-signer.ts';

/**
 * Every store of the partners table, for a function's composition root. `onForgery` hears of each
 * notice record whose signature fails (count it: the alarm is on that metric).
 */
export function dynamoPartnerStores(
  db: DynamoDBDocumentClient,
  kms: KMSClient,
  keyId: string,
  table: string,
  onForgery: (key: { pk: string; sk: string }) => void,
) {
  return {
    partners: new DynamoPartnerStore(db, table),
    notices: new DynamoNoticeStore(db, table, new KmsRecordSigner(kms, keyId, db, table), onForgery),
    states: new DynamoHealthStateStore(db, table),
    once: new DynamoOnceStore(db, table),
    traffic: new DynamoTrafficStore(db, table),
    pollLog: new DynamoPollLog(db, table),
    transitions: new DynamoTransitionLog(db, table),
  };
}
