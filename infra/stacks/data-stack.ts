import { CfnOutput, Duration, RemovalPolicy, SecretValue, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Stream, StreamEncryption, StreamMode } from 'aws-cdk-lib/aws-kinesis';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import {
  BREAKER_EVENT_DETAIL_TYPE,
  BREAKER_EVENT_SOURCE,
} from '../../shared/gateway/circuit-breaker/events.ts';
import { DEPRECATED_CALL_DETAIL_TYPE } from '../../shared/gateway/deprecated-calls.ts';
import { SERVER_HEALTH_DETAIL_TYPE } from '../../shared/gateway/upstream-alerts.ts';
import { deadLetterAlarm } from '../constructs/alarms.ts';
import { acknowledge, cfn } from '../constructs/nag.ts';
import { RequestLogStore } from '../constructs/request-log-store.ts';

/** How long a message waits in an SQS queue before it is given up on: the maximum, 14 days. */
const RETENTION = Duration.days(14);

/**
 * A queue with its dead-letter queue: a message that fails `maxReceiveCount` times is kept, not lost.
 * Encrypted with `key`, or with SQS-managed keys where the consumer must not be able to decrypt
 * anything else under the platform key (its consumers would need `kms:Decrypt` on it without conditions).
 */
export function queueWithDlq(
  scope: Construct,
  id: string,
  key: Key | 'sqs-managed',
  visibilityTimeout: Duration,
  maxReceiveCount = 5,
) {
  const encryption =
    key === 'sqs-managed'
      ? { encryption: QueueEncryption.SQS_MANAGED }
      : { encryption: QueueEncryption.KMS, encryptionMasterKey: key };
  // A dead-letter queue may have a consumer of its own (the delivery redrive): the same visibility.
  const dlq = new Queue(scope, `${id}Dlq`, {
    retentionPeriod: RETENTION,
    visibilityTimeout,
    ...encryption,
    enforceSSL: true,
  });
  const queue = new Queue(scope, id, {
    retentionPeriod: RETENTION,
    visibilityTimeout,
    ...encryption,
    enforceSSL: true,
    deadLetterQueue: { queue: dlq, maxReceiveCount },
  });
  return { queue, dlq };
}

/**
 * Everything that holds state. Kept apart from compute so that redeploying functions can never replace
 * a table; stateful resources are retained when the stack is deleted.
 */
export class DataStack extends Stack {
  readonly key: Key;
  readonly identityTable: Table;
  readonly registryTable: Table;
  readonly messagesTable: Table;
  readonly analyticsTable: Table;
  readonly rateLimitTable: Table;
  readonly gatewayStateTable: Table;
  /** Partner health: partners, their notices (signed) and automatic health, traffic, claims. */
  readonly partnersTable: Table;
  /** One job per partner due a poll of its notice endpoint. */
  readonly partnerPollQueue: Queue;
  /** Gateway events (breaker changes, health verdicts) on their way to the APIs' providers. */
  readonly upstreamAlertQueue: Queue;
  readonly bus: EventBus;
  readonly messageIngestQueue: Queue;
  /** Due message deliveries, one SQS message each, grouped by subscription (fair queues). */
  readonly deliveryQueue: Queue;
  /** Deliveries the workers failed on again and again: redriven, or given up visibly. */
  readonly deliveryDeadLetters: Queue;
  readonly messageIngestDeadLetters: Queue;
  readonly analyticsStream: Stream;
  readonly analyticsFailures: Queue;
  /** Request logs: Firehose → S3 (JSON Lines by hour), a Glue table and an Athena workgroup. */
  readonly requestLogs: RequestLogStore;
  readonly signingKeys: Secret;
  /** The gateway's identity-token keys: apart from the access-token keys, so it cannot mint tokens. */
  readonly identitySigningKeys: Secret;
  /** Where every alarm of the platform goes: operators subscribe (email, chat, paging) to it. */
  readonly alarmTopic: Topic;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    this.key = new Key(this, 'PlatformKey', {
      description: 'Portico: encrypts app secrets, signing keys, queues and streams',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const table = (tableId: string, removalPolicy = RemovalPolicy.RETAIN) =>
      new Table(this, tableId, {
        partitionKey: { name: 'pk', type: AttributeType.STRING },
        sortKey: { name: 'sk', type: AttributeType.STRING },
        billingMode: BillingMode.PAY_PER_REQUEST,
        encryption: TableEncryption.AWS_MANAGED,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        timeToLiveAttribute: 'expiresAt',
        removalPolicy,
      });
    this.identityTable = table('IdentityTable');
    // Console listings: apps and developers by creation time (gsi1pk APPS or DEVELOPERS).
    this.identityTable.addGlobalSecondaryIndex({
      indexName: 'gsi1',
      partitionKey: { name: 'gsi1pk', type: AttributeType.STRING },
      sortKey: { name: 'gsi1sk', type: AttributeType.STRING },
    });
    this.registryTable = table('RegistryTable');
    this.messagesTable = table('MessagesTable');
    // The developer API's listings: an app's subscriptions and deliveries by creation time (gsi1pk
    // APP#<appId>#SUB or #DLV); a subscription's deliveries in one status by time, for pull, resume and
    // recover (gsi2pk SUB#<subscriptionId>#<status>).
    for (const index of ['gsi1', 'gsi2']) {
      this.messagesTable.addGlobalSecondaryIndex({
        indexName: index,
        partitionKey: { name: `${index}pk`, type: AttributeType.STRING },
        sortKey: { name: `${index}sk`, type: AttributeType.STRING },
      });
    }
    this.analyticsTable = table('AnalyticsTable', RemovalPolicy.DESTROY);
    // Rate-limit counters live one window (plus a margin): nothing to keep when the stack goes.
    this.rateLimitTable = table('RateLimitTable', RemovalPolicy.DESTROY);
    // Shared breaker snapshots and health results expire within the hour: nothing to keep either.
    this.gatewayStateTable = table('GatewayStateTable', RemovalPolicy.DESTROY);
    this.partnersTable = table('PartnersTable');

    this.bus = new EventBus(this, 'PorticoBus', { eventBusName: 'portico' });
    const ingest = queueWithDlq(this, 'MessageIngestQueue', this.key, Duration.seconds(60));
    this.messageIngestQueue = ingest.queue;
    this.messageIngestDeadLetters = ingest.dlq;
    // In-flight deliveries are state: the queue lives with the tables. Six times the worker's timeout.
    // SQS-managed encryption: its bodies hold only delivery ids, and the delivery worker may then decrypt
    // nothing under the platform key but webhook secrets.
    const delivery = queueWithDlq(this, 'DeliveryQueue', 'sqs-managed', Duration.seconds(180));
    this.deliveryQueue = delivery.queue;
    this.deliveryDeadLetters = delivery.dlq;
    // A poll job names a partner; its worker has 30 s (the queue six times that). A job that keeps
    // failing ends in the DLQ: the next interval polls again, and the polling alarm tells.
    const pollJobs = queueWithDlq(this, 'PartnerPollQueue', 'sqs-managed', Duration.seconds(180), 3);
    this.partnerPollQueue = pollJobs.queue;
    const deliveryFailures = new Queue(this, 'BusDeliveryDlq', {
      retentionPeriod: RETENTION,
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      enforceSSL: true,
    });
    new Rule(this, 'BusinessEventsRule', {
      eventBus: this.bus,
      description: 'Business events published by internal systems (source biz.*) become messages',
      eventPattern: { source: [{ prefix: 'biz.' }] as unknown as string[] },
      targets: [
        new SqsQueue(this.messageIngestQueue, { deadLetterQueue: deliveryFailures, retryAttempts: 185 }),
      ],
    });
    acknowledge(
      cfn(deliveryFailures),
      'SQS3',
      'This is the dead-letter queue of the bus rule targets; it needs none itself',
    );
    // SQS-managed encryption: its bodies are the gateway's own events, and its consumer then needs no
    // use of the platform key.
    const upstreamAlerts = queueWithDlq(this, 'UpstreamAlertQueue', 'sqs-managed', Duration.seconds(60));
    this.upstreamAlertQueue = upstreamAlerts.queue;
    new Rule(this, 'UpstreamAlertsRule', {
      eventBus: this.bus,
      description:
        "Breaker changes and health-check verdicts of the gateway, for the APIs' providers; deprecated APIs' callers",
      eventPattern: {
        source: [BREAKER_EVENT_SOURCE],
        detailType: [BREAKER_EVENT_DETAIL_TYPE, SERVER_HEALTH_DETAIL_TYPE, DEPRECATED_CALL_DETAIL_TYPE],
      },
      targets: [
        new SqsQueue(this.upstreamAlertQueue, { deadLetterQueue: deliveryFailures, retryAttempts: 185 }),
      ],
    });

    this.analyticsStream = new Stream(this, 'AnalyticsStream', {
      streamMode: StreamMode.ON_DEMAND,
      encryption: StreamEncryption.MANAGED,
      retentionPeriod: Duration.hours(24),
    });
    this.analyticsFailures = new Queue(this, 'AnalyticsFailuresDlq', {
      retentionPeriod: RETENTION,
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      enforceSSL: true,
    });
    acknowledge(
      cfn(this.analyticsFailures),
      'SQS3',
      'This is the on-failure destination of the analytics stream mapping; it needs none itself',
    );

    this.requestLogs = new RequestLogStore(this, 'RequestLogs', {
      key: this.key,
      retentionDays: Number(this.node.tryGetContext('requestLogRetentionDays') ?? 30),
    });

    this.signingKeys = new Secret(this, 'SigningKeys', {
      description: 'Portico: private JWT signing keys, managed by the rotation function',
      encryptionKey: this.key,
      secretStringValue: SecretValue.unsafePlainText('{"keys":[]}'),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.identitySigningKeys = new Secret(this, 'IdentitySigningKeys', {
      description:
        "Portico: the gateway's private identity-token signing keys, managed by the rotation function",
      encryptionKey: this.key,
      secretStringValue: SecretValue.unsafePlainText('{"keys":[]}'),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const secret of [this.signingKeys, this.identitySigningKeys])
      acknowledge(
        cfn(secret),
        'SMG4',
        'Rotated by the key rotation function on its own daily schedule (next, current, previous keys), ' +
          'which also publishes the JWKS; Secrets Manager rotation would bypass that',
      );

    // CloudWatch publishes the alarms: it may use the platform key for this topic's messages only.
    this.alarmTopic = new Topic(this, 'AlarmTopic', {
      displayName: 'Portico alarms',
      masterKey: this.key,
      enforceSSL: true,
    });
    this.key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    for (const [queue, what] of [
      [ingest.dlq, 'The message ingest dead-letter queue (events that kept failing ingest)'],
      [delivery.dlq, 'The delivery dead-letter queue (deliveries its redrive could not settle)'],
      [pollJobs.dlq, 'The partner poll dead-letter queue (poll jobs that kept failing)'],
      [upstreamAlerts.dlq, 'The upstream alert dead-letter queue (alerts that could not be told)'],
      [deliveryFailures, 'The bus delivery dead-letter queue (events the bus could not queue)'],
      [this.analyticsFailures, 'The analytics failure queue (stream batches the aggregator gave up on)'],
    ] as const) {
      deadLetterAlarm(this, queue, this.alarmTopic, what);
    }

    // What `npm run admin:create` needs to register the first admin client of a deployment.
    new CfnOutput(this, 'IdentityTableName', { value: this.identityTable.tableName });
    new CfnOutput(this, 'MessagesTableName', { value: this.messagesTable.tableName });
    new CfnOutput(this, 'PlatformKeyArn', { value: this.key.keyArn });
  }
}
