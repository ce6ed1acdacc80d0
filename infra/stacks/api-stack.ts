import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { HttpApi, HttpMethod, HttpRoute, HttpRouteKey } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { KinesisEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { InvocationType, Trigger } from 'aws-cdk-lib/triggers';
import type { Construct } from 'constructs';
import { ENV } from '../../shared/config/names.ts';
import { grantSecret } from '../constructs/grants.ts';
import { PorticoFunction } from '../constructs/portico-function.ts';
import type { DataStack } from './data-stack.ts';

export interface ApiStackProps extends StackProps {
  data: DataStack;
}

type Routes = Record<string, PorticoFunction>;

/** The HTTP API of the public surface, the functions behind it, and the asynchronous workers. */
export class ApiStack extends Stack {
  readonly httpApi: HttpApi;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { data } = props;

    this.httpApi = new HttpApi(this, 'PorticoHttpApi', {
      description: 'Portico public surface: OAuth2, gateway, developer and console APIs',
      createDefaultStage: true,
    });
    const issuer = this.httpApi.apiEndpoint;

    const token = new PorticoFunction(this, 'OAuthTokenFunction', {
      entry: 'functions/oauth/token.ts',
      service: 'oauth-token',
      environment: {
        [ENV.identityTable]: data.identityTable.tableName,
        [ENV.signingKeysSecret]: data.signingKeys.secretArn,
        [ENV.issuer]: issuer,
        [ENV.accessTokenTtl]: '3600',
        [ENV.refreshTokenTtl]: String(30 * 86_400),
      },
    });
    // Token records, refresh-token families, authorization codes and failed-attempt counters.
    data.identityTable.grantReadWriteData(token);
    grantSecret(token, data.signingKeys, data.key, 'read');

    const discovery = new PorticoFunction(this, 'DiscoveryFunction', {
      entry: 'functions/discovery/handler.ts',
      service: 'discovery',
      environment: { [ENV.identityTable]: data.identityTable.tableName, [ENV.issuer]: issuer },
    });
    data.identityTable.grantReadData(discovery);

    const consoleFn = new PorticoFunction(this, 'ConsoleFunction', {
      entry: 'functions/console/handler.ts',
      service: 'console',
      environment: {
        [ENV.identityTable]: data.identityTable.tableName,
        [ENV.secretsKeyId]: data.key.keyArn,
        [ENV.issuer]: issuer,
      },
    });
    data.identityTable.grantReadWriteData(consoleFn);
    data.key.grantEncrypt(consoleFn);

    const gateway = new PorticoFunction(this, 'GatewayFunction', {
      entry: 'functions/gateway/handler.ts',
      service: 'gateway',
      memorySize: 1024,
      // Below API Gateway's 30 s integration limit, so a slow upstream gets the gateway's own 504.
      timeout: Duration.seconds(29),
      environment: {
        [ENV.identityTable]: data.identityTable.tableName,
        [ENV.registryTable]: data.registryTable.tableName,
        [ENV.analyticsStream]: data.analyticsStream.streamName,
        [ENV.issuer]: issuer,
      },
    });
    data.identityTable.grantReadData(gateway);
    data.registryTable.grantReadData(gateway);
    data.analyticsStream.grantWrite(gateway);

    const fallback = new PorticoFunction(this, 'FallbackFunction', {
      entry: 'functions/fallback/handler.ts',
      service: 'fallback',
      memorySize: 256,
    });

    const routes: Routes = {
      'POST /oauth2/token': token,
      'GET /.well-known/jwks.json': discovery,
      'GET /.well-known/oauth-authorization-server': discovery,
      'GET /openapi.json': discovery,
      'POST /console/v1/apps': consoleFn,
      'GET /console/v1/apps/{appId}': consoleFn,
      'ANY /apis/{apiName}': gateway,
      'ANY /apis/{apiName}/{path+}': gateway,
      'GET /oauth2/authorize': fallback,
      'POST /oauth2/introspect': fallback,
      'POST /oauth2/revoke': fallback,
      'ANY /v1/{proxy+}': fallback,
      'GET /health/v1/partners/{partnerId}': fallback,
    };
    this.addRoutes(routes);
    this.httpApi.addRoutes({
      path: '/{proxy+}',
      methods: [HttpMethod.ANY],
      integration: new HttpLambdaIntegration('DefaultIntegration', fallback),
    });

    this.addWorkers(data);
    new CfnOutput(this, 'ApiUrl', { value: this.httpApi.apiEndpoint });
  }

  private addRoutes(routes: Routes): void {
    const integrations = new Map<PorticoFunction, HttpLambdaIntegration>();
    for (const [key, fn] of Object.entries(routes)) {
      const [method, path] = key.split(' ') as [keyof typeof HttpMethod, string];
      let integration = integrations.get(fn);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${fn.node.id}Integration`, fn);
        integrations.set(fn, integration);
      }
      new HttpRoute(this, `Route${key.replace(/[^A-Za-z0-9]/g, '')}`, {
        httpApi: this.httpApi,
        routeKey: HttpRouteKey.with(path, HttpMethod[method]),
        integration,
      });
    }
  }

  private addWorkers(data: DataStack): void {
    const aggregate = new PorticoFunction(this, 'AnalyticsAggregateFunction', {
      entry: 'functions/analytics/aggregate.ts',
      service: 'analytics-aggregate',
      timeout: Duration.seconds(60),
      environment: { [ENV.analyticsTable]: data.analyticsTable.tableName },
    });
    data.analyticsTable.grantWriteData(aggregate);
    aggregate.addEventSource(
      new KinesisEventSource(data.analyticsStream, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 500,
        maxBatchingWindow: Duration.seconds(5),
        retryAttempts: 3,
        bisectBatchOnError: true,
        onFailure: new SqsDlq(data.analyticsFailures),
      }),
    );

    const ingest = new PorticoFunction(this, 'MessageIngestFunction', {
      entry: 'functions/messages/ingest.ts',
      service: 'messages-ingest',
      timeout: Duration.seconds(10),
      environment: { [ENV.messagesTable]: data.messagesTable.tableName },
    });
    data.messagesTable.grantWriteData(ingest);
    ingest.addEventSource(
      new SqsEventSource(data.messageIngestQueue, {
        batchSize: 10,
        maxBatchingWindow: Duration.seconds(1),
        reportBatchItemFailures: true,
      }),
    );

    const rotate = new PorticoFunction(this, 'KeyRotationFunction', {
      entry: 'functions/keys/rotate.ts',
      service: 'signing-key-rotation',
      timeout: Duration.seconds(30),
      environment: {
        [ENV.identityTable]: data.identityTable.tableName,
        [ENV.signingKeysSecret]: data.signingKeys.secretArn,
        [ENV.keyRotationDays]: '30',
      },
    });
    data.identityTable.grantReadWriteData(rotate);
    grantSecret(rotate, data.signingKeys, data.key, 'readWrite');
    const scheduleFailures = new Queue(this, 'ScheduleDlq', {
      retentionPeriod: Duration.days(14),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    // A fresh deployment gets its first signing keys now, not at the schedule's first tick.
    new Trigger(this, 'SigningKeysBootstrap', {
      handler: rotate,
      executeOnHandlerChange: false,
      invocationType: InvocationType.REQUEST_RESPONSE,
      timeout: Duration.minutes(1),
    });
    new Schedule(this, 'KeyRotationSchedule', {
      description: 'Creates the first JWT signing keys, then rotates them',
      schedule: ScheduleExpression.rate(Duration.hours(24)),
      target: new LambdaInvoke(rotate, { deadLetterQueue: scheduleFailures, retryAttempts: 3 }),
    });
  }
}
