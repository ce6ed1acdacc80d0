import { type CfnElement, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { Analytics } from '../capabilities/analytics.ts';
import { logicalIdOutsideCapabilities } from '../capabilities/capability.ts';
import { ConsoleApi } from '../capabilities/console-api.ts';
import { FallbackRoutes } from '../capabilities/fallback-routes.ts';
import { GatewayApi, type GatewayGroup } from '../capabilities/gateway-api.ts';
import { IdentityApi } from '../capabilities/identity-api.ts';
import { Messages } from '../capabilities/messages.ts';
import { PartnerHealth } from '../capabilities/partner-health.ts';
import { Portal } from '../capabilities/portal.ts';
import { SampleApis } from '../capabilities/sample-apis.ts';
import { TestCases } from '../capabilities/test-cases.ts';
import { deadLetterAlarm } from '../constructs/alarms.ts';
import { acknowledge, cfn } from '../constructs/nag.ts';
import { Operations } from '../constructs/operations.ts';
import type { DataStack } from './data-stack.ts';

/** The context key of the API groups given gateway functions of their own (docs/architecture.md). */
export const GATEWAY_GROUPS_CONTEXT = 'portico:gatewayGroups';

/** The groups from the context: an object in cdk.json, a JSON string from `-c`. */
export function gatewayGroupsOf(value: unknown): Record<string, GatewayGroup> | undefined {
  if (value === undefined) return undefined;
  return (typeof value === 'string' ? JSON.parse(value) : value) as Record<string, GatewayGroup>;
}

export interface ApiStackProps extends StackProps {
  data: DataStack;
}

/**
 * One access-log line per request, as JSON. The path carries no query string, so no authorization code
 * or token in a query reaches the logs.
 */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    sourceIp: '$context.identity.sourceIp',
    userAgent: '$context.identity.userAgent',
    httpMethod: '$context.httpMethod',
    routeKey: '$context.routeKey',
    path: '$context.path',
    protocol: '$context.protocol',
    status: '$context.status',
    responseLength: '$context.responseLength',
    responseLatency: '$context.responseLatency',
    integrationStatus: '$context.integration.status',
    integrationLatency: '$context.integration.latency',
    integrationError: '$context.integrationErrorMessage',
  }),
);

/**
 * The HTTP API of the public surface and the capabilities behind it (infra/capabilities/), each with
 * its functions, grants, routes, schedules and event sources; this stack keeps what they share: the
 * API and its access logs, the schedules' dead-letter queue and the outputs.
 */
export class ApiStack extends Stack {
  readonly httpApi: HttpApi;
  readonly identity: IdentityApi;
  readonly console: ConsoleApi;
  readonly gateway: GatewayApi;
  readonly analytics: Analytics;
  readonly messages: Messages;
  readonly partners: PartnerHealth;
  readonly fallback: FallbackRoutes;
  readonly portal: Portal;
  readonly testCases: TestCases;
  readonly samples: SampleApis;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { data } = props;

    this.httpApi = new HttpApi(this, 'PorticoHttpApi', {
      description: 'Portico public surface: OAuth2, gateway, developer and console APIs',
      // The $default stage below, as HttpApi would create it (same id), plus access logging.
      createDefaultStage: false,
    });
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    new HttpStage(this.httpApi, 'DefaultStage', {
      httpApi: this.httpApi,
      autoDeploy: true,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: ACCESS_LOG_FORMAT },
    });

    const scheduleFailures = new Queue(this, 'ScheduleDlq', {
      retentionPeriod: Duration.days(14),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    acknowledge(
      cfn(scheduleFailures),
      'SQS3',
      'This is the dead-letter queue of the schedules (key rotation, health checks, partner polls and evaluation); it needs none itself',
    );

    deadLetterAlarm(
      this,
      scheduleFailures,
      data.alarmTopic,
      'The schedule dead-letter queue (scheduled runs that could not be started)',
    );

    const shared = { httpApi: this.httpApi, data };
    this.identity = new IdentityApi(this, 'Identity', { ...shared, scheduleFailures });
    this.console = new ConsoleApi(this, 'Console', shared);
    this.gateway = new GatewayApi(this, 'Gateway', {
      ...shared,
      scheduleFailures,
      // cdk.json or `-c`: {"<group>": {"apis": ["<api>", …], "reservedConcurrency": <n>}, …}
      groups: gatewayGroupsOf(this.node.tryGetContext(GATEWAY_GROUPS_CONTEXT)),
    });
    this.analytics = new Analytics(this, 'Analytics', shared);
    this.messages = new Messages(this, 'Messages', shared);
    this.partners = new PartnerHealth(this, 'Partners', { ...shared, scheduleFailures });
    this.portal = new Portal(this, 'Portal', shared);
    this.testCases = new TestCases(this, 'TestCases', { ...shared, scheduleFailures });
    this.fallback = new FallbackRoutes(this, 'Fallback', shared);
    this.samples = new SampleApis(this, 'Samples', shared);
    new Operations(this, 'Operations', {
      gateway: this.gateway.gateway,
      aggregate: this.analytics.aggregate,
      deliver: this.messages.deliver,
      requestLogs: data.requestLogs.deliveryStream,
      alarmTopic: data.alarmTopic,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.httpApi.apiEndpoint });
    new CfnOutput(this, 'MessageStreamUrl', { value: this.messages.stream.stage.url });
    new CfnOutput(this, 'WebUrl', {
      value: `https://${this.portal.web.distribution.distributionDomainName}`,
      description: 'The developer portal and console, with the API on the same origin',
    });
  }

  /** Capabilities only group: a resource keeps the logical ID it had as a direct child of the stack. */
  protected override allocateLogicalId(element: CfnElement): string {
    return logicalIdOutsideCapabilities(this, element);
  }
}
