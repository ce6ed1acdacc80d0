import { type CfnElement, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { LogGroupLogDestination, WebSocketApi, WebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  MESSAGE_STREAM_ANSWERING_ROUTES,
  MESSAGE_STREAM_ROUTES,
  MESSAGE_STREAM_STAGE,
} from '../../functions/messages/routes.ts';
import { ENV } from '../../shared/config/names.ts';
import { grantItems, grantTokenValidation } from '../constructs/grants.ts';
import { acknowledge, cfn } from '../constructs/nag.ts';
import { PorticoFunction } from '../constructs/portico-function.ts';
import type { DataStack } from '../stacks/data-stack.ts';

/** Why the stream's routes need no API Gateway authorizer (cdk-nag APIG4). */
const STREAM_AUTHORIZATION =
  "The stream function verifies the app's bearer token at $connect and acts only on that connection's subscriptions";

/** One line per connect, message and disconnect; no query string (it may carry an access token). */
const STREAM_ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    sourceIp: '$context.identity.sourceIp',
    eventType: '$context.eventType',
    routeKey: '$context.routeKey',
    connectionId: '$context.connectionId',
    status: '$context.status',
    integrationLatency: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
  }),
);

export interface MessageStreamProps {
  data: DataStack;
  /** The token issuer the stream checks tokens against (the HTTP API's endpoint). */
  issuer: string;
}

/**
 * The message stream: an API Gateway WebSocket API over which apps receive their websocket
 * subscriptions' deliveries and acknowledge them. Its function answers `$connect` (the app's token),
 * `$disconnect`, `ack`, `resume` and heartbeats; the delivery worker pushes (`grantPush`).
 */
export class MessageStream extends Construct {
  readonly api: WebSocketApi;
  readonly stage: WebSocketStage;
  readonly handler: PorticoFunction;
  /** The stage's URL, `wss://…/v1`, built from the API's endpoint (which the local runtime resolves too). */
  readonly url: string;

  constructor(scope: Construct, id: string, props: MessageStreamProps) {
    super(scope, id);
    const { data } = props;

    this.handler = new PorticoFunction(this, 'Function', {
      entry: 'functions/messages/stream.ts',
      service: 'messages-stream',
      environment: {
        [ENV.identityTable]: data.identityTable.tableName,
        [ENV.messagesTable]: data.messagesTable.tableName,
        [ENV.deliveryQueueUrl]: data.deliveryQueue.queueUrl,
        [ENV.issuer]: props.issuer,
      },
    });
    // The bearer-token validator: JWKS, the REVOKED feed, `ADD uses` on a limited-use token (APP#).
    grantTokenValidation(this.handler, data.identityTable);
    // stream-session.ts: the app's subscriptions (gsi1 APP#, SUB#), the connection and its listening
    // records (CONN#, LISTEN#, one transaction), acknowledgements (DLV#), the backlog of a resume
    // (gsi2 SUB#…#Queued) queued for the worker.
    grantItems(
      this.handler,
      data.messagesTable,
      {
        GetItem: ['CONN#*', 'DLV#*', 'SUB#*'],
        PutItem: ['CONN#*', 'DLV#*', 'LISTEN#*'],
        DeleteItem: ['CONN#*', 'LISTEN#*'],
      },
      { indexQueries: { gsi1: ['APP#*'], gsi2: ['SUB#*'] } },
    );
    data.deliveryQueue.grantSendMessages(this.handler);

    this.api = new WebSocketApi(this, 'Api', {
      apiName: 'PorticoMessageStream',
      description: 'Portico message stream: WebSocket delivery of messages, acknowledged by the app',
      routeSelectionExpression: '$request.body.action',
    });
    const integration = new WebSocketLambdaIntegration('Integration', this.handler);
    for (const key of MESSAGE_STREAM_ROUTES) {
      const route = this.api.addRoute(key, {
        integration,
        returnResponse: MESSAGE_STREAM_ANSWERING_ROUTES.includes(key),
      });
      acknowledge(cfn(route), 'APIG4', STREAM_AUTHORIZATION);
    }

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new WebSocketStage(this, 'Stage', {
      webSocketApi: this.api,
      stageName: MESSAGE_STREAM_STAGE,
      autoDeploy: true,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: STREAM_ACCESS_LOG_FORMAT,
      },
    });
    this.url = Fn.join('', [this.api.apiEndpoint, `/${MESSAGE_STREAM_STAGE}`]);
  }

  /** Lets `fn` post to, read and close this stage's connections, and nothing else. */
  grantPush(fn: PorticoFunction): void {
    this.stage.grantManagementApiAccess(fn);
    const api = cfn(this.api) as CfnElement;
    acknowledge(
      cfn(fn.role!.node.findChild('DefaultPolicy')),
      `IAM5[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<${Stack.of(api).getLogicalId(api)}>/${MESSAGE_STREAM_STAGE}/*/@connections/*]`,
      'ManageConnections on any connection of this stage: connection ids are only known at run time',
    );
  }
}
