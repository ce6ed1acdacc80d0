import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildUnbundledPortico, STACK_NAMES } from '../app.ts';
import { LOCAL_ENTRY_METADATA } from '../local-metadata.ts';

/**
 * Every Portico function's data-plane permissions, exactly: per resource, per action, the partition
 * keys (`dynamodb:LeadingKeys`) or other conditions it is limited to. The local runtime does not enforce
 * IAM, so this map, read against the adapters named in each entry, is what keeps the policies right:
 * a new action, resource or key prefix, or a lost or widened condition, fails here.
 */
type Access = Record<string, Record<string, string[]>>;

const VIA_SECRETS_MANAGER = 'kms:ViaService=secretsmanager.<AWS::Region>.amazonaws.com';
const CLIENT_SECRETS = 'kms:EncryptionContext:purpose=client-secret';
const PARTNER_SECRETS = 'kms:EncryptionContext:purpose=partner-shared-secret';
const PARTNER_AES_KEYS = 'kms:EncryptionContext:purpose=partner-aes-key';
const RECORD_SIGNING = 'kms:EncryptionContext:purpose=partner-record-signing';
/** A non-DynamoDB action also granted without any condition. */
const UNCONDITIONED = '(unconditioned)';

const ARN = 'arn:<AWS::Partition>';
const LOG_BUCKET = `${ARN}:s3:::porticodata-request-logs-<AWS::AccountId>-<AWS::Region>`;
const ATHENA = Object.fromEntries(
  ['GetQueryExecution', 'GetQueryResults', 'StartQueryExecution', 'StopQueryExecution'].map((a) => [
    `athena:${a}`,
    [],
  ]),
);
const GLUE = { 'glue:GetDatabase': [], 'glue:GetPartitions': [], 'glue:GetTable': [] };

/** What a request-log search reaches (RequestLogStore.grantSearch). */
const LOG_SEARCH = {
  PlatformKey: {
    'kms:Decrypt': ['kms:ViaService=s3.<AWS::Region>.amazonaws.com'],
    'kms:GenerateDataKey': ['kms:ViaService=s3.<AWS::Region>.amazonaws.com'],
  },
  [`${ARN}:athena:<AWS::Region>:<AWS::AccountId>:workgroup/RequestLogsRequestLogQueries`]: ATHENA,
  [`${ARN}:glue:<AWS::Region>:<AWS::AccountId>:catalog`]: GLUE,
  [`${ARN}:glue:<AWS::Region>:<AWS::AccountId>:database/portico_porticodata`]: GLUE,
  [`${ARN}:glue:<AWS::Region>:<AWS::AccountId>:table/portico_porticodata/requests`]: GLUE,
  [LOG_BUCKET]: { 's3:GetBucketLocation': [], 's3:ListBucket': [] },
  [`${LOG_BUCKET}/athena-results/*`]: {
    's3:AbortMultipartUpload': [],
    's3:GetObject': [],
    's3:PutObject': [],
  },
  [`${LOG_BUCKET}/requests/*`]: { 's3:GetObject': [] },
};

/**
 * Test cases: cases, the due list and run history beside the API; the tester app's token records, token
 * checks and audit entries; the signing keys; failed runs as events. Load runs (LOADRUN#) and each API's
 * load slot (LOADSLOT#) beside them too; only the console's function may start the load generator.
 */
const TEST_CASES_REACH: Access = {
  RegistryTable: {
    'dynamodb:GetItem': ['API#*', 'LOADRUN#*', 'LOADSLOT#*', 'TESTCASE#*'],
    'dynamodb:Query': ['LOADRUN#*', 'TESTCASE#*', 'TESTCASES', 'TESTRUN#*'],
    'dynamodb:PutItem': ['LOADRUN#*', 'LOADSLOT#*', 'TESTCASE#*', 'TESTCASES', 'TESTRUN#*'],
    'dynamodb:UpdateItem': ['LOADRUN#*'],
    'dynamodb:DeleteItem': ['LOADSLOT#*', 'TESTCASE#*', 'TESTCASES'],
  },
  IdentityTable: {
    'dynamodb:GetItem': ['APP#*', 'JWKS'],
    'dynamodb:Query': ['APP#*', 'REVOKED'],
    'dynamodb:PutItem': ['APP#*', 'AUDIT'],
  },
  SigningKeys: { 'secretsmanager:DescribeSecret': [], 'secretsmanager:GetSecretValue': [] },
  PlatformKey: { 'kms:Decrypt': [VIA_SECRETS_MANAGER] },
  PorticoBus: { 'events:PutEvents': [] },
};

const EXPECTED: Record<string, Access> = {
  // token-endpoint.ts + issue-tokens.ts over DynamoAppStore, DynamoAuthFailureLimiter,
  // DynamoTokenStore, DynamoRefreshTokenStore (transactions: Put/Update of RT# and APP#/FAMILY#),
  // DynamoAuthorizationStore (CODE#); private keys from the secret.
  'oauth/token': {
    IdentityTable: {
      'dynamodb:GetItem': ['APP#*', 'CLIENT#*', 'CODE#*', 'DEV#*', 'RT#*', 'USERID#*'],
      'dynamodb:BatchGetItem': ['AUTHFAIL#*'],
      'dynamodb:Query': ['APP#*'],
      'dynamodb:PutItem': ['APP#*', 'RT#*'],
      'dynamodb:UpdateItem': ['APP#*', 'AUTHFAIL#*', 'CODE#*', 'RT#*'],
      'dynamodb:BatchWriteItem': ['REVOKED'],
    },
    SigningKeys: { 'secretsmanager:DescribeSecret': [], 'secretsmanager:GetSecretValue': [] },
    PlatformKey: { 'kms:Decrypt': [VIA_SECRETS_MANAGER] },
  },
  // authorize.ts: apps, pending requests (AUTHZ#), codes (CODE#), users (USER#), sign-in counters.
  'oauth/authorize': {
    IdentityTable: {
      'dynamodb:GetItem': ['APP#*', 'AUTHZ#*', 'CLIENT#*', 'DEV#*', 'USER#*'],
      'dynamodb:BatchGetItem': ['AUTHFAIL#*'],
      'dynamodb:PutItem': ['AUTHZ#*', 'CODE#*'],
      'dynamodb:UpdateItem': ['AUTHFAIL#*'],
      'dynamodb:DeleteItem': ['AUTHZ#*'],
    },
  },
  // token-introspection.ts: client authentication, JWKS, token records, refresh tokens, revocation.
  'oauth/token-management': {
    IdentityTable: {
      'dynamodb:GetItem': ['APP#*', 'CLIENT#*', 'DEV#*', 'JWKS', 'RT#*'],
      'dynamodb:BatchGetItem': ['AUTHFAIL#*'],
      'dynamodb:Query': ['APP#*'],
      'dynamodb:UpdateItem': ['APP#*', 'AUTHFAIL#*'],
      'dynamodb:BatchWriteItem': ['REVOKED'],
    },
  },
  // The public JWKS item and nothing else.
  'discovery/handler': { IdentityTable: { 'dynamodb:GetItem': ['JWKS'] } },
  // DynamoConsoleStore (transactions: Put/Delete/ConditionCheck items + AUDIT), DynamoAppStore,
  // DynamoTokenStore, the bearer-token validator; DynamoApiRegistry; new secrets encrypted.
  'console/handler': {
    IdentityTable: {
      'dynamodb:GetItem': ['ACCESS#*', 'APP#*', 'CLIENT#*', 'DEV#*', 'JWKS'],
      'dynamodb:BatchGetItem': ['CLIENT#*'],
      'dynamodb:Query': ['APP#*', 'AUDIT', 'REVOKED'],
      'dynamodb:PutItem': ['ACCESS#*', 'APP#*', 'AUDIT', 'CLIENT#*', 'DEV#*'],
      'dynamodb:UpdateItem': ['APP#*'],
      'dynamodb:DeleteItem': ['APP#*', 'CLIENT#*', 'DEV#*'],
      'dynamodb:ConditionCheckItem': ['APP#*'],
      'dynamodb:BatchWriteItem': ['REVOKED'],
    },
    'IdentityTable/index/gsi1': { 'dynamodb:Query': ['ACCESS#*', 'APPS', 'DEVELOPERS'] },
    RegistryTable: {
      'dynamodb:GetItem': ['API#*'],
      'dynamodb:Query': ['APIS'],
      'dynamodb:PutItem': ['API#*', 'APIS'],
      'dynamodb:UpdateItem': ['REGISTRY'],
      'dynamodb:DeleteItem': ['API#*', 'APIS'],
    },
    // The topic catalog; a topic's subscriptions are counted before it is deleted.
    MessagesTable: {
      'dynamodb:GetItem': ['TOPICS'],
      'dynamodb:Query': ['TOPIC#*', 'TOPICS'],
      'dynamodb:PutItem': ['TOPICS'],
      'dynamodb:DeleteItem': ['TOPICS'],
    },
    PlatformKey: { 'kms:Encrypt': [CLIENT_SECRETS] },
  },
  // Token validator (JWKS, REVOKED feed, `ADD uses` on APP#/TOKEN#), signed requests (CLIENT#, APP#,
  // DEV#, NONCE#), app plans (APP#); registry cache; DynamoLeaseStore; DynamoStateStore; sinks.
  'gateway/handler': {
    IdentityTable: {
      'dynamodb:GetItem': ['APP#*', 'CLIENT#*', 'DEV#*', 'JWKS'],
      'dynamodb:Query': ['REVOKED'],
      'dynamodb:PutItem': ['NONCE#*'],
      'dynamodb:UpdateItem': ['APP#*'],
    },
    RegistryTable: { 'dynamodb:GetItem': ['API#*', 'REGISTRY'], 'dynamodb:Query': ['APIS'] },
    RateLimitTable: { 'dynamodb:GetItem': ['RL#*'], 'dynamodb:UpdateItem': ['RL#*'] },
    GatewayStateTable: { 'dynamodb:Query': ['BREAKERS', 'HEALTH'], 'dynamodb:PutItem': ['BREAKERS'] },
    PartnersTable: {
      'dynamodb:GetItem': ['PARTNER#*', 'PARTNERS', 'RECORD_SIGNING_KEY'],
      'dynamodb:Query': ['PARTNER#*'],
      'dynamodb:PutItem': ['RECORD_SIGNING_KEY', 'TRAFFIC#*'],
    },
    // The identity tokens' private keys, read through Secrets Manager.
    IdentitySigningKeys: { 'secretsmanager:DescribeSecret': [], 'secretsmanager:GetSecretValue': [] },
    PlatformKey: {
      'kms:Decrypt': [CLIENT_SECRETS, RECORD_SIGNING, VIA_SECRETS_MANAGER],
      'kms:GenerateDataKey': [RECORD_SIGNING],
    },
    AnalyticsStream: { 'kinesis:PutRecords': [] },
    RequestLogsRequestLogDelivery: { 'firehose:PutRecord': [], 'firehose:PutRecordBatch': [] },
    PorticoBus: { 'events:PutEvents': [] },
    // Lambda, queue and bus upstreams (upstream-targets.ts): only names with the upstream target prefix.
    [`${ARN}:lambda:<AWS::Region>:<AWS::AccountId>:function:portico-internal-*`]: {
      'lambda:InvokeFunction': [],
    },
    [`${ARN}:sqs:<AWS::Region>:<AWS::AccountId>:portico-internal-*`]: {
      'sqs:GetQueueUrl': [],
      'sqs:SendMessage': [],
    },
    [`${ARN}:events:<AWS::Region>:<AWS::AccountId>:event-bus/portico-internal-*`]: { 'events:PutEvents': [] },
  },
  'gateway/health-check': {
    RegistryTable: { 'dynamodb:GetItem': ['API#*'], 'dynamodb:Query': ['APIS'] },
    GatewayStateTable: { 'dynamodb:Query': ['HEALTH'], 'dynamodb:PutItem': ['HEALTH'] },
    PorticoBus: { 'events:PutEvents': [] },
  },
  // upstream-alert-messages.ts: the API's provider app (API#); the alert sent as a message of
  // portico.upstream-alerts (MSG#, fanned out to the topic's subscriptions: TOPIC#, DLV#, queued).
  'gateway/upstream-alerts': {
    RegistryTable: { 'dynamodb:GetItem': ['API#*'] },
    MessagesTable: {
      'dynamodb:GetItem': ['DLV#*', 'MSG#*'],
      'dynamodb:PutItem': ['DLV#*', 'MSG#*'],
      'dynamodb:Query': ['TOPIC#*'],
    },
    'MessagesTable/index/gsi2': { 'dynamodb:Query': ['SUB#*'] },
    DeliveryQueue: { 'sqs:GetQueueAttributes': [], 'sqs:GetQueueUrl': [], 'sqs:SendMessage': [] },
    UpstreamAlertQueue: {
      'sqs:ChangeMessageVisibility': [],
      'sqs:DeleteMessage': [],
      'sqs:GetQueueAttributes': [],
      'sqs:GetQueueUrl': [],
      'sqs:ReceiveMessage': [],
    },
  },
  'fallback/handler': {},
  // The catalog (the index of APIs) and each listed API's definition, read only.
  'portal/handler': {
    RegistryTable: { 'dynamodb:GetItem': ['API#*'], 'dynamodb:Query': ['APIS'] },
  },
  // A signed-in person: token validation, their profile, sign-ups (throttled), their apps (gsi1 APPS
  // filtered by developer) and credentials as the console writes them, and the try-it token records.
  'portal/developer': {
    IdentityTable: {
      'dynamodb:GetItem': ['APP#*', 'CLIENT#*', 'DEV#*', 'JWKS', 'USERID#*'],
      'dynamodb:BatchGetItem': ['AUTHFAIL#*', 'CLIENT#*'],
      'dynamodb:Query': ['APP#*', 'DEV#*', 'REVOKED'],
      'dynamodb:PutItem': ['ACCESS#*', 'APP#*', 'AUDIT', 'CLIENT#*', 'DEV#*', 'USER#*', 'USERID#*'],
      'dynamodb:UpdateItem': ['APP#*', 'AUTHFAIL#*'],
      'dynamodb:DeleteItem': ['APP#*', 'CLIENT#*'],
      'dynamodb:ConditionCheckItem': ['APP#*', 'DEV#*'],
      'dynamodb:BatchWriteItem': ['REVOKED'],
    },
    'IdentityTable/index/gsi1': { 'dynamodb:Query': ['APPS'] },
    RegistryTable: { 'dynamodb:GetItem': ['API#*'] },
    SigningKeys: { 'secretsmanager:DescribeSecret': [], 'secretsmanager:GetSecretValue': [] },
    PlatformKey: {
      'kms:Decrypt': [VIA_SECRETS_MANAGER],
      'kms:Encrypt': ['kms:EncryptionContext:purpose=client-secret'],
    },
  },
  // Test cases: the console routes and the scheduled round reach the same things.
  'testcases/api': {
    ...TEST_CASES_REACH,
    LoadGeneratorFunction: { 'lambda:InvokeFunction': [] },
    'LoadGeneratorFunction:*': { 'lambda:InvokeFunction': [] },
  },
  'testcases/run-due': TEST_CASES_REACH,
  'testcases/generate-load': TEST_CASES_REACH,
  // A sample internal API (a Lambda upstream): reaches nothing.
  'samples/orders': {},
  // DynamoAggregateStore: cells (calls…, deliveries…) read in batches and put back whole. The stream
  // read and the on-failure queue are the event-source mapping's, granted by CDK.
  'analytics/aggregate': {
    AnalyticsTable: {
      'dynamodb:BatchGetItem': ['calls', 'calls#*', 'deliveries', 'deliveries#*'],
      'dynamodb:PutItem': ['calls', 'calls#*', 'deliveries', 'deliveries#*'],
    },
    AnalyticsStream: {
      'kinesis:DescribeStream': [],
      'kinesis:DescribeStreamConsumer': [],
      'kinesis:DescribeStreamSummary': [],
      'kinesis:GetRecords': [],
      'kinesis:GetShardIterator': [],
      'kinesis:ListShards': [],
      'kinesis:ListStreams': [],
      'kinesis:SubscribeToShard': [],
    },
    AnalyticsFailuresDlq: { 'sqs:GetQueueAttributes': [], 'sqs:GetQueueUrl': [], 'sqs:SendMessage': [] },
    PlatformKey: { 'kms:Decrypt': [], 'kms:Encrypt': [], 'kms:GenerateDataKey*': [], 'kms:ReEncrypt*': [] },
  },
  // DynamoMessageStore: one conditional PutItem per event; fan-out-message.ts over
  // DynamoSubscriptionStore.listByTopic (TOPIC#), DynamoDeliveryStore (DLV#, created once) and the
  // delivery queue (SQS-managed encryption); the ingest queue is the event-source mapping's.
  'messages/ingest': {
    MessagesTable: {
      'dynamodb:PutItem': ['DLV#*', 'MSG#*'],
      'dynamodb:GetItem': ['DLV#*', 'MSG#*', 'TOPICS'],
      'dynamodb:Query': ['TOPIC#*'],
    },
    'MessagesTable/index/gsi2': { 'dynamodb:Query': ['SUB#*'] },
    DeliveryQueue: { 'sqs:GetQueueAttributes': [], 'sqs:GetQueueUrl': [], 'sqs:SendMessage': [] },
    MessageIngestQueue: {
      'sqs:ChangeMessageVisibility': [],
      'sqs:DeleteMessage': [],
      'sqs:GetQueueAttributes': [],
      'sqs:GetQueueUrl': [],
      'sqs:ReceiveMessage': [],
    },
    PlatformKey: { 'kms:Decrypt': [] },
  },
  // The developer API: the token validator (JWKS, REVOKED, `ADD uses` on APP#); topics, subscriptions with
  // their topic pointers, deliveries and their attempts, messages; an app's listings (gsi1) and a
  // subscription's deliveries by status (gsi2); new webhook secrets encrypted under their purpose only.
  'messages/api': {
    IdentityTable: {
      'dynamodb:GetItem': ['JWKS'],
      'dynamodb:Query': ['REVOKED'],
      'dynamodb:UpdateItem': ['APP#*'],
    },
    MessagesTable: {
      'dynamodb:GetItem': ['DLV#*', 'MSG#*', 'SUB#*', 'TOPICS'],
      'dynamodb:Query': ['DLV#*', 'TOPICS'],
      'dynamodb:PutItem': ['DLV#*', 'MSG#*', 'SUB#*', 'TOPIC#*'],
      'dynamodb:DeleteItem': ['SUB#*', 'TOPIC#*'],
    },
    'MessagesTable/index/gsi1': { 'dynamodb:Query': ['APP#*'] },
    'MessagesTable/index/gsi2': { 'dynamodb:Query': ['SUB#*'] },
    PlatformKey: { 'kms:Encrypt': ['kms:EncryptionContext:purpose=webhook-secret'] },
    DeliveryQueue: { 'sqs:GetQueueAttributes': [], 'sqs:GetQueueUrl': [], 'sqs:SendMessage': [] },
  },
  // The publish API: the token validator; the topic, the message stored once, fan-out.
  'messages/publish': {
    IdentityTable: {
      'dynamodb:GetItem': ['JWKS'],
      'dynamodb:Query': ['REVOKED'],
      'dynamodb:UpdateItem': ['APP#*'],
    },
    MessagesTable: {
      'dynamodb:GetItem': ['DLV#*', 'MSG#*', 'TOPICS'],
      'dynamodb:PutItem': ['DLV#*', 'MSG#*'],
      'dynamodb:Query': ['TOPIC#*'],
    },
    'MessagesTable/index/gsi2': { 'dynamodb:Query': ['SUB#*'] },
    DeliveryQueue: { 'sqs:GetQueueAttributes': [], 'sqs:GetQueueUrl': [], 'sqs:SendMessage': [] },
  },
  // redrive-delivery.ts: a dead-lettered delivery put back in the queue, or failed and its app told.
  // redrive-ingest.ts: dead letters of ingest read (the mapping's grant) and sent back to the ingest
  // queue, encrypted under the platform key (CDK's grant for a KMS-encrypted queue).
  'messages/ingest-redrive': {
    MessageIngestQueue: { 'sqs:GetQueueAttributes': [], 'sqs:GetQueueUrl': [], 'sqs:SendMessage': [] },
    MessageIngestQueueDlq: {
      'sqs:ChangeMessageVisibility': [],
      'sqs:DeleteMessage': [],
      'sqs:GetQueueAttributes': [],
      'sqs:GetQueueUrl': [],
      'sqs:ReceiveMessage': [],
    },
    PlatformKey: { 'kms:Decrypt': [], 'kms:Encrypt': [], 'kms:GenerateDataKey*': [], 'kms:ReEncrypt*': [] },
  },
  'messages/redrive': {
    MessagesTable: {
      'dynamodb:GetItem': ['DLV#*'],
      'dynamodb:PutItem': ['DLV#*', 'MSG#*'],
      'dynamodb:Query': ['TOPIC#*'],
    },
    'MessagesTable/index/gsi2': { 'dynamodb:Query': ['SUB#*'] },
    DeliveryQueue: { 'sqs:GetQueueAttributes': [], 'sqs:GetQueueUrl': [], 'sqs:SendMessage': [] },
    DeliveryQueueDlq: {
      'sqs:ChangeMessageVisibility': [],
      'sqs:DeleteMessage': [],
      'sqs:GetQueueAttributes': [],
      'sqs:GetQueueUrl': [],
      'sqs:ReceiveMessage': [],
    },
  },
  // deliver-webhook.ts over DynamoDeliveryStore (DLV#: the delivery and its attempts), the subscription
  // and its topic pointer (SUB#, TOPIC#, one transaction), the message (MSG#); webhook secrets
  // decrypted under their own purpose only; retries re-queued on the delivery queue it consumes.
  // deliver-websocket.ts over DynamoConnectionStore: a subscription's listeners (LISTEN#), a connection
  // found gone forgotten (CONN#, LISTEN#); pushes to the message stream's connections, that stage only.
  'messages/deliver': {
    MessagesTable: {
      'dynamodb:GetItem': ['CONN#*', 'DLV#*', 'MSG#*', 'SUB#*'],
      'dynamodb:PutItem': ['DLV#*', 'MSG#*', 'SUB#*', 'TOPIC#*'],
      'dynamodb:Query': ['LISTEN#*', 'TOPIC#*'],
      'dynamodb:DeleteItem': ['CONN#*', 'LISTEN#*'],
    },
    'arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:MessageStreamApi/v1/*/@connections/*': {
      'execute-api:ManageConnections': [],
    },
    'MessagesTable/index/gsi2': { 'dynamodb:Query': ['SUB#*'] },
    RateLimitTable: { 'dynamodb:GetItem': ['RL#sub#*'], 'dynamodb:UpdateItem': ['RL#sub#*'] },
    AnalyticsStream: { 'kinesis:PutRecords': [] },
    PlatformKey: { 'kms:Decrypt': ['kms:EncryptionContext:purpose=webhook-secret'] },
    DeliveryQueue: {
      'sqs:ChangeMessageVisibility': [],
      'sqs:DeleteMessage': [],
      'sqs:GetQueueAttributes': [],
      'sqs:GetQueueUrl': [],
      'sqs:ReceiveMessage': [],
      'sqs:SendMessage': [],
    },
  },
  // The message stream (stream-session.ts): the token validator; the app's subscriptions (gsi1 APP#,
  // SUB#), the connection and its listening records (CONN#, LISTEN#), acknowledgements (DLV#), the
  // backlog of a resume (gsi2 SUB#) queued for the worker.
  'messages/stream': {
    IdentityTable: {
      'dynamodb:GetItem': ['JWKS'],
      'dynamodb:Query': ['REVOKED'],
      'dynamodb:UpdateItem': ['APP#*'],
    },
    MessagesTable: {
      'dynamodb:GetItem': ['CONN#*', 'DLV#*', 'SUB#*'],
      'dynamodb:PutItem': ['CONN#*', 'DLV#*', 'LISTEN#*'],
      'dynamodb:DeleteItem': ['CONN#*', 'LISTEN#*'],
    },
    'MessagesTable/index/gsi1': { 'dynamodb:Query': ['APP#*'] },
    'MessagesTable/index/gsi2': { 'dynamodb:Query': ['SUB#*'] },
    DeliveryQueue: { 'sqs:GetQueueAttributes': [], 'sqs:GetQueueUrl': [], 'sqs:SendMessage': [] },
  },
  // Partner health. Every function that reads or writes notices verifies or signs them with the record
  // key: a data key kept as KMS ciphertext in RECORD_SIGNING_KEY (the first user creates it).
  // partner-actions.ts and notice-actions.ts: the token validator and console audit; definitions
  // (PARTNERS), a partner's partition (notices, health; deleted with it), its polling record (POLLS),
  // its transitions (TRANSITIONS#); partner secrets encrypted under their own purposes.
  // Usage reports: token checks, the aggregates of calls and deliveries, and an app's subscription (whose
  // usage it asks for) read to check it is the app's.
  'analytics/api': {
    IdentityTable: {
      'dynamodb:GetItem': ['JWKS'],
      'dynamodb:Query': ['REVOKED'],
      'dynamodb:UpdateItem': ['APP#*'],
    },
    AnalyticsTable: { 'dynamodb:Query': ['calls', 'calls#*', 'deliveries', 'deliveries#*'] },
    MessagesTable: { 'dynamodb:GetItem': ['SUB#*'] },
  },
  // Request-log search: an Athena query in its workgroup over the Glue table, which reads the log
  // objects and writes results with this role's rights (S3 through the platform key); or the objects
  // read directly (the object scan).
  'analytics/logs': {
    IdentityTable: {
      'dynamodb:GetItem': ['JWKS'],
      'dynamodb:Query': ['REVOKED'],
      'dynamodb:UpdateItem': ['APP#*'],
    },
    ...LOG_SEARCH,
  },
  // Call chains: the log search's reach, error reports by trace, and provider keys against their API.
  'analytics/traces': {
    IdentityTable: {
      'dynamodb:GetItem': ['JWKS'],
      'dynamodb:Query': ['REVOKED'],
      'dynamodb:UpdateItem': ['APP#*'],
    },
    AnalyticsTable: { 'dynamodb:PutItem': ['TRACE#*'], 'dynamodb:Query': ['TRACE#*'] },
    RegistryTable: {
      'dynamodb:GetItem': ['API#*', 'PROVIDER_KEY#*'],
      'dynamodb:PutItem': ['PROVIDER_KEY#*'],
      'dynamodb:DeleteItem': ['PROVIDER_KEY#*'],
    },
    ...LOG_SEARCH,
  },
  'partners/console': {
    IdentityTable: {
      'dynamodb:GetItem': ['JWKS'],
      'dynamodb:Query': ['REVOKED'],
      'dynamodb:UpdateItem': ['APP#*'],
      'dynamodb:PutItem': ['AUDIT'],
    },
    PartnersTable: {
      'dynamodb:GetItem': ['PARTNER#*', 'PARTNERS', 'POLLS', 'RECORD_SIGNING_KEY'],
      'dynamodb:PutItem': ['PARTNER#*', 'PARTNERS', 'RECORD_SIGNING_KEY'],
      'dynamodb:Query': ['PARTNER#*', 'PARTNERS', 'TRANSITIONS#*'],
      'dynamodb:DeleteItem': ['PARTNER#*', 'PARTNERS'],
    },
    PlatformKey: {
      'kms:Encrypt': [PARTNER_AES_KEYS, PARTNER_SECRETS],
      'kms:Decrypt': [RECORD_SIGNING],
      'kms:GenerateDataKey': [RECORD_SIGNING],
    },
  },
  // receive-push.ts: the partner (PARTNERS), its notices (PARTNER#), the nonce claimed once (ONCE#).
  'partners/push': {
    PartnersTable: {
      'dynamodb:GetItem': ['PARTNER#*', 'PARTNERS', 'RECORD_SIGNING_KEY'],
      'dynamodb:PutItem': ['ONCE#*', 'PARTNER#*', 'RECORD_SIGNING_KEY'],
    },
    PlatformKey: {
      'kms:Decrypt': [PARTNER_AES_KEYS, RECORD_SIGNING, PARTNER_SECRETS],
      'kms:GenerateDataKey': [RECORD_SIGNING],
    },
  },
  // health-reader.ts over snapshotFromStores: the definition, the partner's partition; the token validator.
  'partners/health': {
    IdentityTable: {
      'dynamodb:GetItem': ['JWKS'],
      'dynamodb:Query': ['REVOKED'],
      'dynamodb:UpdateItem': ['APP#*'],
    },
    PartnersTable: {
      'dynamodb:GetItem': ['PARTNER#*', 'PARTNERS', 'RECORD_SIGNING_KEY'],
      'dynamodb:Query': ['PARTNER#*'],
      'dynamodb:PutItem': ['RECORD_SIGNING_KEY'],
    },
    PlatformKey: { 'kms:Decrypt': [RECORD_SIGNING], 'kms:GenerateDataKey': [RECORD_SIGNING] },
  },
  // partnersDue and pollingAlarms: every definition and polling record; one job per partner due.
  'partners/schedule-polls': {
    PartnersTable: { 'dynamodb:Query': ['PARTNERS', 'POLLS'] },
    PartnerPollQueue: { 'sqs:GetQueueAttributes': [], 'sqs:GetQueueUrl': [], 'sqs:SendMessage': [] },
  },
  // poll-partner.ts: the partner, the interval's slot claimed once (ONCE#), its notices (PARTNER#), its
  // polling record (POLLS, read back when the slot was recorded already).
  'partners/poll': {
    PartnersTable: {
      'dynamodb:GetItem': ['PARTNER#*', 'PARTNERS', 'POLLS', 'RECORD_SIGNING_KEY'],
      'dynamodb:PutItem': ['ONCE#*', 'PARTNER#*', 'RECORD_SIGNING_KEY'],
      'dynamodb:UpdateItem': ['POLLS'],
    },
    PlatformKey: {
      'kms:Decrypt': [PARTNER_AES_KEYS, RECORD_SIGNING, PARTNER_SECRETS],
      'kms:GenerateDataKey': [RECORD_SIGNING],
    },
    PartnerPollQueue: {
      'sqs:ChangeMessageVisibility': [],
      'sqs:DeleteMessage': [],
      'sqs:GetQueueAttributes': [],
      'sqs:GetQueueUrl': [],
      'sqs:ReceiveMessage': [],
    },
  },
  // evaluate-health.ts: every definition, each partner's partition (state, notices) and traffic windows,
  // the round's window claimed once; transitions kept (TRANSITIONS#) and sent as messages of portico.partner-health (MSG#, fanned out
  // over TOPIC# into DLV#, an ordered subscription's head on gsi2), queued for delivery.
  'partners/evaluate': {
    PartnersTable: {
      'dynamodb:GetItem': ['PARTNER#*', 'RECORD_SIGNING_KEY'],
      'dynamodb:Query': ['PARTNER#*', 'PARTNERS', 'TRAFFIC#*'],
      'dynamodb:PutItem': ['ONCE#*', 'PARTNER#*', 'RECORD_SIGNING_KEY', 'TRANSITIONS#*'],
    },
    PlatformKey: { 'kms:Decrypt': [RECORD_SIGNING], 'kms:GenerateDataKey': [RECORD_SIGNING] },
    MessagesTable: {
      'dynamodb:GetItem': ['DLV#*', 'MSG#*'],
      'dynamodb:PutItem': ['DLV#*', 'MSG#*'],
      'dynamodb:Query': ['TOPIC#*'],
    },
    'MessagesTable/index/gsi2': { 'dynamodb:Query': ['SUB#*'] },
    DeliveryQueue: { 'sqs:GetQueueAttributes': [], 'sqs:GetQueueUrl': [], 'sqs:SendMessage': [] },
  },
  // rotate-signing-keys.ts: the JWKS item (read to detect drift, written on change) and the secret.
  'keys/rotate': {
    IdentityTable: { 'dynamodb:GetItem': ['JWKS'], 'dynamodb:PutItem': ['JWKS'] },
    SigningKeys: {
      'secretsmanager:DescribeSecret': [],
      'secretsmanager:GetSecretValue': [],
      'secretsmanager:PutSecretValue': [],
    },
    IdentitySigningKeys: {
      'secretsmanager:DescribeSecret': [],
      'secretsmanager:GetSecretValue': [],
      'secretsmanager:PutSecretValue': [],
    },
    PlatformKey: {
      'kms:Decrypt': [VIA_SECRETS_MANAGER],
      'kms:Encrypt': [VIA_SECRETS_MANAGER],
      'kms:GenerateDataKey': [VIA_SECRETS_MANAGER],
    },
  },
};

/** Scans read every partition, which no key condition can limit. None is intended. */
const SCANS_ALLOWED: string[] = [];

// --- the synthesized policies, normalized ---------------------------------------------------------

type Json = any;
const app = buildUnbundledPortico();
const api = Template.fromStack(app.node.findChild(STACK_NAMES.api) as never).toJSON();
const data = Template.fromStack(app.node.findChild(STACK_NAMES.data) as never).toJSON();
const resources: Record<string, Json> = api.Resources;

/** `IdentityTableA085AC59` → `IdentityTable`: the construct id, without CDK's hash. */
const constructName = (logicalId: string) => logicalId.replace(/[0-9A-F]{8}$/, '');
const exports = new Map<string, string>(
  Object.values<Json>(data.Outputs)
    .filter((o) => o.Export)
    .map((o) => [o.Export.Name, constructName(o.Value['Fn::GetAtt']?.[0] ?? o.Value.Ref)]),
);
/** A policy value (resource, condition value) as readable text. */
function render(value: Json): string {
  if (typeof value === 'string') return value;
  if (value?.['Fn::ImportValue']) return exports.get(value['Fn::ImportValue']) ?? JSON.stringify(value);
  if (value?.['Fn::Join']) return (value['Fn::Join'][1] as Json[]).map(render).join(value['Fn::Join'][0]);
  if (value?.['Fn::GetAtt']) return constructName(value['Fn::GetAtt'][0]);
  if (value?.Ref) return value.Ref.startsWith('AWS::') ? `<${value.Ref}>` : constructName(value.Ref);
  return JSON.stringify(value);
}

interface Statement {
  actions: string[];
  resources: string[];
  /** `dynamodb:LeadingKeys` with `ForAllValues:*`: the only condition shape a table grant may have. */
  leadingKeys?: { operator: string; keys: string[] };
  /** Every other condition, as `key=value` (`operator(key)=value` beyond StringEquals). */
  conditions: string[];
}

function normalize(statement: Json): Statement {
  const out: Statement = {
    actions: [statement.Action].flat(),
    resources: [statement.Resource].flat().map(render),
    conditions: [],
  };
  for (const [operator, entries] of Object.entries<Json>(statement.Condition ?? {})) {
    for (const [key, value] of Object.entries<Json>(entries)) {
      const values = [value].flat().map(render);
      if (key === 'dynamodb:LeadingKeys' && operator.startsWith('ForAllValues:') && !out.leadingKeys)
        out.leadingKeys = { operator, keys: values.sort() };
      else
        out.conditions.push(
          ...values.map((v) => (operator === 'StringEquals' ? `${key}=${v}` : `${operator}(${key})=${v}`)),
        );
    }
  }
  return out;
}

const fnIds = Object.keys(resources).filter(
  (id) => resources[id].Type === 'AWS::Lambda::Function' && resources[id].Metadata?.[LOCAL_ENTRY_METADATA],
);
/** `functions/oauth/token.ts` → `oauth/token`. */
const labelOf = (fnId: string) =>
  (resources[fnId].Metadata[LOCAL_ENTRY_METADATA].entry as string).replace(/^functions\/|\.ts$/g, '');
const roleOf = (fnId: string): string => resources[fnId].Properties.Role['Fn::GetAtt'][0];

/** The allowed statements of a role: attached policies and inline ones. */
function roleStatements(roleId: string): Statement[] {
  const attached = Object.values(resources).filter(
    (r: Json) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((x: Json) => x.Ref === roleId),
  );
  const documents = [
    ...attached.map((p: Json) => p.Properties.PolicyDocument),
    ...(resources[roleId].Properties.Policies ?? []).map((p: Json) => p.PolicyDocument),
  ];
  return documents
    .flatMap((d: Json) => d.Statement as Json[])
    .map((s) => {
      expect(s.Effect, JSON.stringify(s)).toBe('Allow');
      return normalize(s);
    });
}

/** X-Ray tracing is every function's and the only grant on Resource "*". */
const isTracing = (s: Statement) => s.actions.every((a) => a.startsWith('xray:'));
const statementsByFn = new Map(
  fnIds.map((id) => [labelOf(id), roleStatements(roleOf(id)).filter((s) => !isTracing(s))]),
);

const UNCONDITIONED_TABLE = '<every item>';
function accessOf(statements: Statement[]): Access {
  const access: Access = {};
  for (const s of statements) {
    for (const resource of s.resources) {
      for (const action of s.actions) {
        const actions = access[resource] ?? {};
        access[resource] = actions;
        const entry = actions[action] ?? [];
        actions[action] = entry;
        if (action.startsWith('dynamodb:')) {
          const keys =
            s.leadingKeys && s.conditions.length === 0 ? s.leadingKeys.keys : [UNCONDITIONED_TABLE];
          entry.push(...keys);
        } else entry.push(...(s.conditions.length > 0 ? s.conditions : [UNCONDITIONED]));
      }
    }
  }
  // An action granted only without conditions reads `[]`; granted both ways, the unconditioned grant shows.
  for (const actions of Object.values(access))
    for (const action of Object.keys(actions)) {
      const entries = [...new Set(actions[action])].sort();
      actions[action] = entries.length === 1 && entries[0] === UNCONDITIONED ? [] : entries;
    }
  return access;
}
const actual = Object.fromEntries([...statementsByFn].map(([label, s]) => [label, accessOf(s)]));

function printTable(): void {
  const rows: string[][] = [];
  for (const [label, access] of Object.entries(actual).sort()) {
    if (Object.keys(access).length === 0) rows.push([label, '—', '—', '']);
    for (const [resource, actions] of Object.entries(access)) {
      // Actions with the same keys or conditions on one line.
      const byKeys = new Map<string, string[]>();
      for (const [action, keys] of Object.entries(actions)) {
        const id = keys.join(' ');
        byKeys.set(id, [...(byKeys.get(id) ?? []), action.replace(/^[a-z0-9]+:/, '')]);
      }
      const service = Object.keys(actions)[0]!.split(':')[0]!;
      for (const [keys, names] of byKeys)
        for (let i = 0; i < names.length; i += 4)
          rows.push([label, resource, `${service}:${names.slice(i, i + 4).join(',')}`, keys]);
    }
  }
  const header = ['function', 'resource', 'actions', 'partition keys (dynamodb) / conditions'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join(' | ')
      .trimEnd();
  console.log(['', line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n'));
}

// --- a small IAM evaluator, for requests the code makes -------------------------------------------

const glob = (pattern: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );

/** Whether a function may run `action` on `resource` for items with these partition keys. */
function allows(label: string, action: string, resource: string, keys: string[]): boolean {
  return statementsByFn.get(label)!.some((s) => {
    if (!s.actions.some((a) => glob(a).test(action))) return false;
    if (!s.resources.some((r) => glob(r).test(resource))) return false;
    if (s.conditions.length > 0) return false;
    if (!s.leadingKeys) return true;
    const { operator, keys: allowed } = s.leadingKeys;
    const match =
      operator === 'ForAllValues:StringLike'
        ? (k: string) => allowed.some((p) => glob(p).test(k))
        : (k: string) => allowed.includes(k);
    return keys.every(match);
  });
}

describe('least privilege: every function reaches only the items it uses', () => {
  it('grants exactly the expected actions, resources and key conditions', () => {
    printTable();
    expect(actual).toEqual(EXPECTED);
  });

  it('limits every DynamoDB grant to named partition keys on a table or a named index', () => {
    for (const [label, statements] of statementsByFn) {
      for (const s of statements.filter((x) => x.actions.some((a) => a.startsWith('dynamodb:')))) {
        const what = `${label}: ${JSON.stringify(s)}`;
        expect(
          s.actions.every((a) => a.startsWith('dynamodb:')),
          what,
        ).toBe(true);
        expect(s.leadingKeys, what).toBeDefined();
        expect(s.conditions, what).toEqual([]);
        const { keys, operator } = s.leadingKeys!;
        for (const key of keys) expect(key, what).not.toMatch(/^[*?]*$/);
        // Under StringEquals a `*` is a literal character: the pattern would match nothing.
        if (keys.some((k) => /[*?]/.test(k))) expect(operator, what).toBe('ForAllValues:StringLike');
        for (const resource of s.resources) expect(resource, what).toMatch(/^[A-Za-z]+(\/index\/[\w.-]+)?$/);
        if (s.resources.some((r) => r.includes('/index/')))
          expect(s.actions, what).toEqual(['dynamodb:Query']);
      }
    }
  });

  it('never grants a whole service (dynamodb:*), a Scan, or Resource "*" beyond X-Ray', () => {
    for (const [label, statements] of statementsByFn) {
      for (const s of statements) {
        expect(s.resources, label).not.toContain('*');
        for (const action of s.actions) {
          expect(action, label).not.toMatch(/^\*$|:\*$/);
          if (action.startsWith('dynamodb:')) expect(action, label).not.toContain('*');
          if (action === 'dynamodb:Scan') expect(SCANS_ALLOWED, label).toContain(label);
        }
      }
    }
  });

  it('attaches no managed policy to a function role but the basic execution role (logs)', () => {
    for (const id of fnIds) {
      const managed = (resources[roleOf(id)].Properties.ManagedPolicyArns ?? []).map(render);
      expect(managed, labelOf(id)).toEqual([
        'arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
      ]);
    }
  });

  it('gives the roles that are not Portico functions (schedules, triggers) no data access', () => {
    const functionRoles = new Set(fnIds.map(roleOf));
    const others = Object.keys(resources).filter(
      (id) => resources[id].Type === 'AWS::IAM::Role' && !functionRoles.has(id),
    );
    expect(others.length).toBeGreaterThan(0);
    for (const role of others)
      for (const s of roleStatements(role))
        for (const action of s.actions)
          expect(action, role).not.toMatch(/^(dynamodb|kms|secretsmanager|kinesis):/);
  });

  it('keeps the gateway to nonces and usage counts on the identity table', () => {
    const gw = 'gateway/handler';
    expect(allows(gw, 'dynamodb:PutItem', 'IdentityTable', ['NONCE#ak_1#n0nce'])).toBe(true);
    expect(allows(gw, 'dynamodb:UpdateItem', 'IdentityTable', ['APP#app_1'])).toBe(true);
    for (const key of ['CLIENT#ak_1', 'APP#app_1', 'RT#abc', 'JWKS', 'REVOKED'])
      expect(allows(gw, 'dynamodb:PutItem', 'IdentityTable', [key]), key).toBe(false);
    for (const key of ['CLIENT#ak_1', 'DEV#dev_1', 'JWKS'])
      expect(allows(gw, 'dynamodb:UpdateItem', 'IdentityTable', [key]), key).toBe(false);
    for (const action of ['DeleteItem', 'BatchWriteItem', 'Scan'])
      expect(allows(gw, `dynamodb:${action}`, 'IdentityTable', ['NONCE#ak_1#n']), action).toBe(false);
  });

  it('lets discovery read the public JWKS item only', () => {
    const d = 'discovery/handler';
    expect(allows(d, 'dynamodb:GetItem', 'IdentityTable', ['JWKS'])).toBe(true);
    for (const key of ['CLIENT#ak_1', 'APP#app_1', 'USER#demo', 'JWKSX'])
      expect(allows(d, 'dynamodb:GetItem', 'IdentityTable', [key]), key).toBe(false);
    expect(allows(d, 'dynamodb:Query', 'IdentityTable', ['JWKS'])).toBe(false);
  });

  it('lets key rotation read and write the JWKS item only', () => {
    const r = 'keys/rotate';
    for (const action of ['GetItem', 'PutItem'])
      expect(allows(r, `dynamodb:${action}`, 'IdentityTable', ['JWKS']), action).toBe(true);
    for (const key of ['CLIENT#ak_1', 'APP#app_1', 'AUDIT'])
      for (const action of ['GetItem', 'PutItem'])
        expect(allows(r, `dynamodb:${action}`, 'IdentityTable', [key]), `${action} ${key}`).toBe(false);
  });

  it('allows every item of the transactions and batches the code sends', () => {
    const id = 'IdentityTable';
    // DynamoRefreshTokenStore.rotate: Update RT#old, Put RT#new, Update APP#/FAMILY#.
    expect(allows('oauth/token', 'dynamodb:UpdateItem', id, ['RT#old', 'APP#app_1'])).toBe(true);
    expect(allows('oauth/token', 'dynamodb:PutItem', id, ['RT#new', 'APP#app_1'])).toBe(true);
    // DynamoConsoleStore.addCredential: ConditionCheck APP#, Put CLIENT# and APP#/CRED#, Put AUDIT.
    expect(allows('console/handler', 'dynamodb:ConditionCheckItem', id, ['APP#app_1'])).toBe(true);
    expect(allows('console/handler', 'dynamodb:PutItem', id, ['CLIENT#ak_1', 'APP#app_1', 'AUDIT'])).toBe(
      true,
    );
    // deleteApp: Delete APP#, CLIENT#, APP#/CRED#; listCredentials: BatchGet CLIENT#.
    expect(allows('console/handler', 'dynamodb:DeleteItem', id, ['APP#app_1', 'CLIENT#ak_1'])).toBe(true);
    expect(allows('console/handler', 'dynamodb:BatchGetItem', id, ['CLIENT#ak_1', 'CLIENT#ak_2'])).toBe(true);
    // Revocation feed entries, 25 a batch, and the failure counters, two a BatchGet.
    for (const fn of ['oauth/token', 'oauth/token-management', 'console/handler'])
      expect(allows(fn, 'dynamodb:BatchWriteItem', id, ['REVOKED']), fn).toBe(true);
    expect(
      allows('oauth/token', 'dynamodb:BatchGetItem', id, ['AUTHFAIL#client#ak_1', 'AUTHFAIL#ip#::1']),
    ).toBe(true);
    expect(allows('console/handler', 'dynamodb:BatchWriteItem', id, ['REVOKED', 'APP#app_1'])).toBe(false);
  });

  it('lets the console query index gsi1 for the app and developer listings only, and the portal for apps', () => {
    const c = 'console/handler';
    for (const key of ['APPS', 'DEVELOPERS'])
      expect(allows(c, 'dynamodb:Query', 'IdentityTable/index/gsi1', [key]), key).toBe(true);
    expect(allows(c, 'dynamodb:Query', 'IdentityTable/index/gsi1', ['AUDIT'])).toBe(false);
    expect(allows(c, 'dynamodb:Query', 'IdentityTable/index/gsi1', ['ACCESS#pending'])).toBe(true);
    expect(allows(c, 'dynamodb:Query', 'IdentityTable/index/other', ['APPS'])).toBe(false);
    expect(allows('portal/developer', 'dynamodb:Query', 'IdentityTable/index/gsi1', ['DEVELOPERS'])).toBe(
      false,
    );
    for (const fn of statementsByFn.keys())
      if (fn !== c && fn !== 'portal/developer')
        expect(allows(fn, 'dynamodb:Query', 'IdentityTable/index/gsi1', ['APPS']), fn).toBe(false);
  });
});
