import type { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import {
  MESSAGE_STREAM_ANSWERING_ROUTES,
  MESSAGE_STREAM_ROUTES,
  MESSAGES_API_ROUTES,
  PUBLISH_ROUTE,
} from '../../functions/messages/routes.ts';
import { synthCapability } from './capability-fixture.ts';
import { Messages } from './messages.ts';

const INGEST = 'functions/messages/ingest.ts';
const DELIVER = 'functions/messages/deliver.ts';
const API = 'functions/messages/api.ts';
const PUBLISH = 'functions/messages/publish.ts';
const REDRIVE = 'functions/messages/redrive.ts';
const INGEST_REDRIVE = 'functions/messages/ingest-redrive.ts';
const STREAM = 'functions/messages/stream.ts';
/** The message stream stage's connections, as a grant names them. */
const CONNECTIONS =
  /^arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:\w*MessageStreamApi\/v1\/\*\/@connections\/\*$/;
const { resources, functions, routes, schedules, mappings, reaches, mayRun, statements, data } =
  synthCapability((scope, props) => new Messages(scope, 'Messages', props));

describe('Messages', () => {
  it('owns the ingest, delivery, developer API and publish functions, each behind its routes', () => {
    expect(Object.keys(functions).sort()).toEqual([
      API,
      DELIVER,
      INGEST_REDRIVE,
      INGEST,
      PUBLISH,
      REDRIVE,
      STREAM,
    ]);
    expect(routes).toEqual({
      ...Object.fromEntries(MESSAGES_API_ROUTES.map((key) => [key, API])),
      [PUBLISH_ROUTE]: PUBLISH,
      ...Object.fromEntries(MESSAGE_STREAM_ROUTES.map((key) => [key, STREAM])),
    });
    expect(schedules).toEqual([]);
  });

  it('lets the developer API encrypt webhook secrets only, and read the listings of an app only by index', () => {
    expect(mayRun(API, 'kms:Decrypt', 'PlatformKey')).toBe(false);
    expect(reaches(API)).toEqual([
      'DeliveryQueue',
      'IdentityTable',
      'MessagesTable',
      'MessagesTable/index/gsi1',
      'MessagesTable/index/gsi2',
      'PlatformKey',
    ]);
  });

  it('feeds them from their queues in batches of 10, reporting partial batch failures', () => {
    const batch = {
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    };
    expect(mappings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ FunctionName: INGEST, EventSourceArn: 'MessageIngestQueue', ...batch }),
        expect.objectContaining({ FunctionName: DELIVER, EventSourceArn: 'DeliveryQueue', ...batch }),
        expect.objectContaining({
          FunctionName: REDRIVE,
          EventSourceArn: 'DeliveryQueueDlq',
          BatchSize: 10,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
        }),
        expect.objectContaining({
          FunctionName: INGEST_REDRIVE,
          EventSourceArn: 'MessageIngestQueueDlq',
          BatchSize: 10,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
        }),
      ]),
    );
    expect(mappings).toHaveLength(4);
  });

  it('keeps a message invisible for at least six function timeouts while it is processed', () => {
    for (const [entry, queue] of [
      [INGEST, data.messageIngestQueue],
      [DELIVER, data.deliveryQueue],
      [INGEST_REDRIVE, data.messageIngestDeadLetters],
    ] as const) {
      const timeout = resources[functions[entry]!].Properties.Timeout;
      expect((queue.node.defaultChild as CfnQueue).visibilityTimeout, entry).toBeGreaterThanOrEqual(
        6 * timeout,
      );
    }
  });

  it('grants the messages table, the queues, their key, the analytics stream and rate leases only', () => {
    expect(reaches(INGEST)).toEqual([
      'DeliveryQueue',
      'MessageIngestQueue',
      'MessagesTable',
      'MessagesTable/index/gsi2',
      'PlatformKey',
    ]);
    expect(mayRun(INGEST, 'dynamodb:PutItem', 'MessagesTable')).toBe(true);
    expect(mayRun(INGEST, 'dynamodb:UpdateItem', 'MessagesTable')).toBe(false);
    expect(reaches(DELIVER)).toEqual([
      'AnalyticsStream',
      'DeliveryQueue',
      'MessagesTable',
      'MessagesTable/index/gsi2',
      'PlatformKey',
      'RateLimitTable',
      expect.stringMatching(CONNECTIONS),
    ]);
    // It deletes stream connections found gone, and nothing else.
    const deletes = statements(DELIVER).filter((s) => s.actions.includes('dynamodb:DeleteItem'));
    expect(deletes.map((s) => s.condition['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'])).toEqual([
      ['CONN#*', 'LISTEN#*'],
    ]);
  });
});

describe('Messages stream (WebSocket API)', () => {
  const [streamApiId] = Object.entries(resources).find(
    ([, r]) => r.Type === 'AWS::ApiGatewayV2::Api' && r.Properties.ProtocolType === 'WEBSOCKET',
  )!;
  const of = (type: string) =>
    Object.values(resources).filter((r) => r.Type === type && r.Properties.ApiId?.Ref === streamApiId);

  it('routes frames by their action to the stream function, answering ack, resume and heartbeats', () => {
    expect(resources[streamApiId].Properties.RouteSelectionExpression).toBe('$request.body.action');
    const answering = of('AWS::ApiGatewayV2::Route')
      .filter((r) => r.Properties.RouteResponseSelectionExpression === '$default')
      .map((r) => r.Properties.RouteKey);
    expect(answering.sort()).toEqual([...MESSAGE_STREAM_ANSWERING_ROUTES].sort());
    expect(of('AWS::ApiGatewayV2::RouteResponse')).toHaveLength(MESSAGE_STREAM_ANSWERING_ROUTES.length);
  });

  it('deploys the v1 stage with access logs, and lets only the delivery worker manage connections', () => {
    expect(of('AWS::ApiGatewayV2::Stage')).toEqual([
      expect.objectContaining({
        Properties: expect.objectContaining({
          StageName: 'v1',
          AutoDeploy: true,
          AccessLogSettings: expect.objectContaining({
            Format: expect.stringContaining('$context.connectionId'),
          }),
        }),
      }),
    ]);
    const manages = Object.keys(functions).filter((entry) =>
      statements(entry).some((s) => s.actions.includes('execute-api:ManageConnections')),
    );
    expect(manages).toEqual([DELIVER]);
    const grant = statements(DELIVER).find((s) => s.actions.includes('execute-api:ManageConnections'))!;
    expect(grant.resources).toEqual([expect.stringMatching(CONNECTIONS)]);
    expect(resources[functions[DELIVER]!].Properties.Environment.Variables.MESSAGE_STREAM_URL).toEqual({
      'Fn::Join': ['', [{ 'Fn::GetAtt': [streamApiId, 'ApiEndpoint'] }, '/v1']],
    });
  });

  it('lets the stream function touch connections, acknowledgements and the backlog only', () => {
    expect(reaches(STREAM)).toEqual([
      'DeliveryQueue',
      'IdentityTable',
      'MessagesTable',
      'MessagesTable/index/gsi1',
      'MessagesTable/index/gsi2',
    ]);
    const writes = statements(STREAM).filter((s) =>
      s.actions.some((a) => a === 'dynamodb:PutItem' || a === 'dynamodb:DeleteItem'),
    );
    expect(
      writes.flatMap((s) => s.condition['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'] ?? []).sort(),
    ).toEqual(['CONN#*', 'CONN#*', 'DLV#*', 'LISTEN#*', 'LISTEN#*']);
  });
});

describe('Messages alarms', () => {
  it('alarms on any rejected business event, on the ingest function metric', () => {
    const alarms = Object.values(resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
    expect(alarms).toEqual([
      expect.objectContaining({
        Properties: expect.objectContaining({
          Namespace: 'Portico',
          MetricName: 'MessagesRejected',
          Dimensions: [{ Name: 'service', Value: 'messages-ingest' }],
          Statistic: 'Sum',
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          TreatMissingData: 'notBreaching',
        }),
      }),
    ]);
  });
});
