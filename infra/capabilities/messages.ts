import { Duration } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Construct } from 'constructs';
import { MESSAGES_API_ROUTES, PUBLISH_ROUTE } from '../../functions/messages/routes.ts';
import { ENV } from '../../shared/config/names.ts';
import { metricAlarm } from '../constructs/alarms.ts';
import { grantItems, grantKeyUse, grantTokenValidation } from '../constructs/grants.ts';
import { acknowledge, cfn } from '../constructs/nag.ts';
import { PorticoFunction } from '../constructs/portico-function.ts';
import { Capability, type CapabilityProps } from './capability.ts';
import { MessageStream } from './message-stream.ts';

/** Why the developer routes need no API Gateway authorizer (cdk-nag APIG4). */
const MESSAGES_API_AUTHORIZATION =
  "The messages API function verifies the app's bearer token on every route and limits every action to that app";

/** Why the publish route needs no API Gateway authorizer (cdk-nag APIG4). */
const PUBLISH_AUTHORIZATION =
  'The publish function verifies the bearer token and the publish:<topic> scope of the topic in the path';

/**
 * Messages: the ingest worker stores every business event from the ingest queue (fed by the bus rule
 * in the data stack) and fans it out to its topic's subscriptions; the delivery worker makes one
 * webhook attempt, or one push over the message stream (WebSocket), per queued delivery. Both report
 * partial batch failures.
 */
export class Messages extends Capability {
  readonly ingest: PorticoFunction;
  readonly deliver: PorticoFunction;
  readonly api: PorticoFunction;
  readonly publish: PorticoFunction;
  readonly redrive: PorticoFunction;
  readonly ingestRedrive: PorticoFunction;
  readonly stream: MessageStream;

  constructor(scope: Construct, id: string, props: CapabilityProps) {
    super(scope, id, props);
    const { data } = props;

    this.ingest = new PorticoFunction(this, 'MessageIngestFunction', {
      entry: 'functions/messages/ingest.ts',
      service: 'messages-ingest',
      timeout: Duration.seconds(10),
      environment: {
        [ENV.messagesTable]: data.messagesTable.tableName,
        [ENV.deliveryQueueUrl]: data.deliveryQueue.queueUrl,
      },
    });
    // ingest-event.ts: its topic (TOPICS), the message stored once (MSG#, read back on a redelivery), the
    // topic's subscriptions (TOPIC#), deliveries created once (DLV#).
    // An ordered subscription's head (gsi2 SUB#…#Queued) is all fan-out queues of it.
    grantItems(
      this.ingest,
      data.messagesTable,
      {
        PutItem: ['DLV#*', 'MSG#*'],
        GetItem: ['DLV#*', 'MSG#*', 'TOPICS'],
        Query: ['TOPIC#*'],
      },
      { indexQueries: { gsi2: ['SUB#*'] } },
    );
    data.deliveryQueue.grantSendMessages(this.ingest);
    this.ingest.addEventSource(
      new SqsEventSource(data.messageIngestQueue, {
        batchSize: 10,
        maxBatchingWindow: Duration.seconds(1),
        reportBatchItemFailures: true,
      }),
    );

    // A rejected event is kept, never dropped, but someone must look at why publishers send them.
    metricAlarm(
      this,
      'MessagesRejectedAlarm',
      { service: 'messages-ingest', metricName: 'MessagesRejected', statistic: 'Sum' },
      data.alarmTopic,
      'Business events were rejected (unknown topic, invalid or oversized payload): see the ingest logs',
    );

    this.stream = new MessageStream(this, 'MessageStream', { data, issuer: props.httpApi.apiEndpoint });

    this.deliver = new PorticoFunction(this, 'MessageDeliverFunction', {
      entry: 'functions/messages/deliver.ts',
      flushesOnShutdown: true,
      service: 'messages-deliver',
      // One batch of 10 attempts of at most 15 s each, made in parallel (Powertools BatchProcessor).
      timeout: Duration.seconds(30),
      environment: {
        [ENV.messagesTable]: data.messagesTable.tableName,
        [ENV.deliveryQueueUrl]: data.deliveryQueue.queueUrl,
        [ENV.secretsKeyId]: data.key.keyArn,
        [ENV.egressAllow]: this.egressAllow,
        [ENV.analyticsStream]: data.analyticsStream.streamName,
        [ENV.rateLimitTable]: data.rateLimitTable.tableName,
        [ENV.messageStreamUrl]: this.stream.url,
      },
    });
    // Leases of a subscription's own rate (`RL#sub#<id>`): one conditional update per lease.
    grantItems(this.deliver, data.rateLimitTable, { UpdateItem: ['RL#sub#*'], GetItem: ['RL#sub#*'] });
    // One `delivery` record per attempt.
    this.deliver.addToRolePolicy(
      new PolicyStatement({ actions: ['kinesis:PutRecords'], resources: [data.analyticsStream.streamArn] }),
    );
    // deliver-webhook.ts: the delivery (moved by version) and its attempts (DLV#), the subscription and
    // its topic pointer (SUB#, TOPIC#: health and state, one transaction), the message (MSG#).
    // Operational events (operational-events.ts): a message (MSG#) fanned out to the app's subscriptions
    // of the platform topic (TOPIC#).
    // Ordered subscriptions: their head (gsi2 SUB#…#Queued).
    // deliver-websocket.ts: the connections listening to a subscription (LISTEN#), and one found gone
    // forgotten with its listening records (CONN#, LISTEN#, one transaction).
    grantItems(
      this.deliver,
      data.messagesTable,
      {
        GetItem: ['CONN#*', 'DLV#*', 'MSG#*', 'SUB#*'],
        PutItem: ['DLV#*', 'MSG#*', 'SUB#*', 'TOPIC#*'],
        Query: ['LISTEN#*', 'TOPIC#*'],
        DeleteItem: ['CONN#*', 'LISTEN#*'],
      },
      { indexQueries: { gsi2: ['SUB#*'] } },
    );
    this.stream.grantPush(this.deliver);
    grantKeyUse(this.deliver, data.key, 'kms:Decrypt', { purpose: 'webhook-secret' });
    data.deliveryQueue.grantSendMessages(this.deliver);
    this.deliver.addEventSource(
      new SqsEventSource(data.deliveryQueue, {
        batchSize: 10,
        maxBatchingWindow: Duration.seconds(1),
        reportBatchItemFailures: true,
      }),
    );

    this.api = new PorticoFunction(this, 'MessagesApiFunction', {
      entry: 'functions/messages/api.ts',
      service: 'messages-api',
      environment: {
        [ENV.identityTable]: data.identityTable.tableName,
        [ENV.messagesTable]: data.messagesTable.tableName,
        [ENV.deliveryQueueUrl]: data.deliveryQueue.queueUrl,
        [ENV.secretsKeyId]: data.key.keyArn,
        [ENV.issuer]: props.httpApi.apiEndpoint,
        [ENV.egressAllow]: this.egressAllow,
      },
    });
    // The bearer-token validator: JWKS, the REVOKED feed, `ADD uses` on a limited-use token (APP#).
    grantTokenValidation(this.api, data.identityTable);
    // Topics (TOPICS); subscriptions and their topic pointers, one transaction (SUB#, TOPIC#); deliveries,
    // their attempts and messages (DLV#, MSG#: a test message is written here too); an app's listings
    // (gsi1 APP#) and a subscription's deliveries by status for resume and recover (gsi2 SUB#).
    grantItems(
      this.api,
      data.messagesTable,
      {
        GetItem: ['DLV#*', 'MSG#*', 'SUB#*', 'TOPICS'],
        Query: ['DLV#*', 'TOPICS'],
        PutItem: ['DLV#*', 'MSG#*', 'SUB#*', 'TOPIC#*'],
        DeleteItem: ['SUB#*', 'TOPIC#*'],
      },
      { indexQueries: { gsi1: ['APP#*'], gsi2: ['SUB#*'] } },
    );
    grantKeyUse(this.api, data.key, 'kms:Encrypt', { purpose: 'webhook-secret' });
    data.deliveryQueue.grantSendMessages(this.api);
    this.addRoutes(
      MESSAGES_API_ROUTES.map((key) => [key, this.api] as const),
      MESSAGES_API_AUTHORIZATION,
    );

    this.publish = new PorticoFunction(this, 'MessagesPublishFunction', {
      entry: 'functions/messages/publish.ts',
      service: 'messages-publish',
      environment: {
        [ENV.identityTable]: data.identityTable.tableName,
        [ENV.messagesTable]: data.messagesTable.tableName,
        [ENV.deliveryQueueUrl]: data.deliveryQueue.queueUrl,
        [ENV.issuer]: props.httpApi.apiEndpoint,
      },
    });
    grantTokenValidation(this.publish, data.identityTable);
    // publish-message.ts: its topic (TOPICS), the message stored once (MSG#), fan-out (TOPIC#, DLV#).
    grantItems(
      this.publish,
      data.messagesTable,
      {
        GetItem: ['DLV#*', 'MSG#*', 'TOPICS'],
        PutItem: ['DLV#*', 'MSG#*'],
        Query: ['TOPIC#*'],
      },
      { indexQueries: { gsi2: ['SUB#*'] } },
    );
    data.deliveryQueue.grantSendMessages(this.publish);
    this.addRoutes([[PUBLISH_ROUTE, this.publish]], PUBLISH_AUTHORIZATION);

    // redrive-ingest.ts: the ingest queue's dead letters go back in the queue 15 minutes later (the same
    // event: ingest is idempotent on its id) until they are four days old.
    this.ingestRedrive = new PorticoFunction(this, 'MessageIngestRedriveFunction', {
      entry: 'functions/messages/ingest-redrive.ts',
      service: 'messages-ingest-redrive',
      // A few sends per batch; the dead-letter queue's 60 s visibility is six times this.
      timeout: Duration.seconds(10),
      environment: {
        [ENV.ingestQueueUrl]: data.messageIngestQueue.queueUrl,
        [ENV.ingestDeadLetterQueueUrl]: data.messageIngestDeadLetters.queueUrl,
      },
    });
    data.messageIngestQueue.grantSendMessages(this.ingestRedrive);
    // Sending to (and the mapping's reading from) the KMS-encrypted ingest queues: CDK's grant action set.
    const redrivePolicy = cfn(this.ingestRedrive.role!.node.findChild('DefaultPolicy'));
    for (const action of ['kms:GenerateDataKey*', 'kms:ReEncrypt*'])
      acknowledge(
        redrivePolicy,
        `IAM5[Action::${action}]`,
        'CDK grant for the KMS-encrypted ingest queue and its dead-letter queue; on the platform key only',
      );
    this.ingestRedrive.addEventSource(
      new SqsEventSource(data.messageIngestDeadLetters, { batchSize: 10, reportBatchItemFailures: true }),
    );

    this.redrive = new PorticoFunction(this, 'MessageRedriveFunction', {
      entry: 'functions/messages/redrive.ts',
      service: 'messages-redrive',
      timeout: Duration.seconds(30),
      environment: {
        [ENV.messagesTable]: data.messagesTable.tableName,
        [ENV.deliveryQueueUrl]: data.deliveryQueue.queueUrl,
      },
    });
    // redrive-delivery.ts: the delivery (DLV#), put back in the queue or failed; its app told (MSG#, TOPIC#).
    grantItems(
      this.redrive,
      data.messagesTable,
      {
        GetItem: ['DLV#*'],
        PutItem: ['DLV#*', 'MSG#*'],
        Query: ['TOPIC#*'],
      },
      { indexQueries: { gsi2: ['SUB#*'] } },
    );
    data.deliveryQueue.grantSendMessages(this.redrive);
    this.redrive.addEventSource(
      new SqsEventSource(data.deliveryDeadLetters, { batchSize: 10, reportBatchItemFailures: true }),
    );
  }
}
