import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { HttpApi, HttpMethod, HttpRoute, HttpRouteKey } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { KinesisEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { InvocationType, Trigger } from 'aws-cdk-lib/triggers';
import type { Construct } from 'constructs';
import { CONSOLE_ROUTES } from '../../functions/console/routes.ts';
import { ENV } from '../../shared/config/names.ts';
import { grantItems, grantKeyUse, grantSecret } from '../constructs/grants.ts';
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
    // Item prefixes per function: docs/data-model.md; checked by infra/stacks/least-privilege.test.ts.
    grantItems(token, data.identityTable, {
      GetItem: ['CLIENT#*', 'APP#*', 'DEV#*', 'CODE#*', 'RT#*'],
      BatchGetItem: ['AUTHFAIL#*'],
      Query: ['APP#*'],
      PutItem: ['APP#*', 'RT#*'],
      UpdateItem: ['AUTHFAIL#*', 'APP#*', 'CODE#*', 'RT#*'],
      BatchWriteItem: ['REVOKED'],
    });
    grantSecret(token, data.signingKeys, data.key, 'read');

    const authorize = new PorticoFunction(this, 'OAuthAuthorizeFunction', {
      entry: 'functions/oauth/authorize.ts',
      service: 'oauth-authorize',
      environment: { [ENV.identityTable]: data.identityTable.tableName, [ENV.issuer]: issuer },
    });
    grantItems(authorize, data.identityTable, {
      GetItem: ['CLIENT#*', 'APP#*', 'DEV#*', 'AUTHZ#*', 'USER#*'],
      BatchGetItem: ['AUTHFAIL#*'],
      PutItem: ['AUTHZ#*', 'CODE#*'],
      UpdateItem: ['AUTHFAIL#*'],
      DeleteItem: ['AUTHZ#*'],
    });

    const tokenManagement = new PorticoFunction(this, 'OAuthTokenManagementFunction', {
      entry: 'functions/oauth/token-management.ts',
      service: 'oauth-token-management',
      environment: { [ENV.identityTable]: data.identityTable.tableName, [ENV.issuer]: issuer },
    });
    grantItems(tokenManagement, data.identityTable, {
      GetItem: ['JWKS', 'CLIENT#*', 'APP#*', 'DEV#*', 'RT#*'],
      BatchGetItem: ['AUTHFAIL#*'],
      Query: ['APP#*'],
      UpdateItem: ['AUTHFAIL#*', 'APP#*'],
      BatchWriteItem: ['REVOKED'],
    });

    const discovery = new PorticoFunction(this, 'DiscoveryFunction', {
      entry: 'functions/discovery/handler.ts',
      service: 'discovery',
      environment: { [ENV.identityTable]: data.identityTable.tableName, [ENV.issuer]: issuer },
    });
    grantItems(discovery, data.identityTable, { GetItem: ['JWKS'] });

    const consoleFn = new PorticoFunction(this, 'ConsoleFunction', {
      entry: 'functions/console/handler.ts',
      service: 'console',
      environment: {
        [ENV.identityTable]: data.identityTable.tableName,
        [ENV.registryTable]: data.registryTable.tableName,
        [ENV.secretsKeyId]: data.key.keyArn,
        [ENV.issuer]: issuer,
        [ENV.egressAllow]: String(this.node.tryGetContext('egressAllow') ?? ''),
      },
    });
    // Every console write is one transaction with its AUDIT entry: Put, Delete and ConditionCheck items.
    grantItems(
      consoleFn,
      data.identityTable,
      {
        GetItem: ['JWKS', 'APP#*', 'CLIENT#*', 'DEV#*'],
        BatchGetItem: ['CLIENT#*'],
        Query: ['REVOKED', 'APP#*', 'AUDIT'],
        PutItem: ['APP#*', 'CLIENT#*', 'DEV#*', 'AUDIT'],
        UpdateItem: ['APP#*'],
        DeleteItem: ['APP#*', 'CLIENT#*', 'DEV#*'],
        ConditionCheckItem: ['APP#*'],
        BatchWriteItem: ['REVOKED'],
      },
      { indexQueries: { gsi1: ['APPS', 'DEVELOPERS'] } },
    );
    grantItems(consoleFn, data.registryTable, {
      GetItem: ['API#*'],
      Query: ['APIS'],
      PutItem: ['API#*', 'APIS'],
      UpdateItem: ['REGISTRY'],
      DeleteItem: ['API#*', 'APIS'],
    });
    grantKeyUse(consoleFn, data.key, 'kms:Encrypt', { purpose: 'client-secret' });

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
        [ENV.rateLimitTable]: data.rateLimitTable.tableName,
        [ENV.gatewayStateTable]: data.gatewayStateTable.tableName,
        [ENV.eventBusName]: data.bus.eventBusName,
        [ENV.secretsKeyId]: data.key.keyArn,
        [ENV.issuer]: issuer,
        [ENV.egressAllow]: String(this.node.tryGetContext('egressAllow') ?? ''),
      },
    });
    // Identity: verifies tokens and signatures; writes only one-time nonces and usage counts (APP#/TOKEN#).
    grantItems(gateway, data.identityTable, {
      GetItem: ['JWKS', 'CLIENT#*', 'APP#*', 'DEV#*'],
      Query: ['REVOKED'],
      PutItem: ['NONCE#*'],
      UpdateItem: ['APP#*'],
    });
    grantKeyUse(gateway, data.key, 'kms:Decrypt', { purpose: 'client-secret' });
    // Rate-limit leases: one conditional update per lease (GetItem only as a fallback).
    grantItems(gateway, data.rateLimitTable, { UpdateItem: ['RL#*'], GetItem: ['RL#*'] });
    grantItems(gateway, data.registryTable, { GetItem: ['REGISTRY', 'API#*'], Query: ['APIS'] });
    gateway.addToRolePolicy(
      new PolicyStatement({ actions: ['kinesis:PutRecords'], resources: [data.analyticsStream.streamArn] }),
    );
    // Shared breaker and health state: one Query per item collection, conditional PutItem of breakers.
    grantItems(gateway, data.gatewayStateTable, { Query: ['BREAKERS', 'HEALTH'], PutItem: ['BREAKERS'] });
    // Breaker state changes, published as events.
    data.bus.grantPutEventsTo(gateway);

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
      ...Object.fromEntries(Object.keys(CONSOLE_ROUTES).map((key) => [key, consoleFn])),
      'ANY /apis/{apiName}': gateway,
      'ANY /apis/{apiName}/{path+}': gateway,
      'GET /oauth2/authorize': authorize,
      'POST /oauth2/authorize': authorize,
      'POST /oauth2/introspect': tokenManagement,
      'POST /oauth2/revoke': tokenManagement,
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
    grantItems(aggregate, data.analyticsTable, { UpdateItem: ['api#*', 'app#*'] });
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
    grantItems(ingest, data.messagesTable, { PutItem: ['MSG#*'] });
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
    // The public half of the keys: the JWKS item, read to detect drift and rewritten on change.
    grantItems(rotate, data.identityTable, { GetItem: ['JWKS'], PutItem: ['JWKS'] });
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

    const healthCheck = new PorticoFunction(this, 'GatewayHealthCheckFunction', {
      entry: 'functions/gateway/health-check.ts',
      service: 'gateway-health-check',
      // A run probes at most 64 servers, 8 at a time, 2 s each: 16 s at worst, then stores the results.
      timeout: Duration.seconds(30),
      environment: {
        [ENV.registryTable]: data.registryTable.tableName,
        [ENV.gatewayStateTable]: data.gatewayStateTable.tableName,
        [ENV.egressAllow]: String(this.node.tryGetContext('egressAllow') ?? ''),
      },
    });
    grantItems(healthCheck, data.registryTable, { GetItem: ['API#*'], Query: ['APIS'] });
    grantItems(healthCheck, data.gatewayStateTable, { Query: ['HEALTH'], PutItem: ['HEALTH'] });
    new Schedule(this, 'GatewayHealthCheckSchedule', {
      description: 'Probes the upstream servers of every API and stores the results for the gateway',
      schedule: ScheduleExpression.rate(Duration.minutes(1)),
      // A check that could not start within a minute is superseded by the next one.
      target: new LambdaInvoke(healthCheck, {
        deadLetterQueue: scheduleFailures,
        retryAttempts: 2,
        maxEventAge: Duration.minutes(1),
      }),
    });
  }
}
