import { Duration, Stack, Token } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { GATEWAY_ROUTES } from '../../functions/gateway/routes.ts';
import { ENV } from '../../shared/config/names.ts';
import { checkDeploymentGroups, type DeploymentGroups } from '../../shared/gateway/deployment-groups.ts';
import { grantItems, grantKeyUse, grantSecret } from '../constructs/grants.ts';
import { callerPathMemoryMb, MEASURED_INIT_MS } from '../constructs/memory-sizes.ts';
import { acknowledge, attributeRef, cfn, schedulerRolePolicy } from '../constructs/nag.ts';
import { PorticoFunction } from '../constructs/portico-function.ts';
import { Capability, type CapabilityProps } from './capability.ts';

export interface GatewayGroup {
  /** The APIs (registered names) the group's function serves. */
  readonly apis: readonly string[];
  /** The group's share of the account's concurrency: its function's reserved concurrency. */
  readonly reservedConcurrency: number;
}

export interface GatewayApiProps extends CapabilityProps {
  /** Where a health check that failed every retry is kept. */
  readonly scheduleFailures: IQueue;
  /** API groups with gateway functions of their own (the rest share the default one). */
  readonly groups?: Readonly<Record<string, GatewayGroup>>;
}

const pascal = (name: string) => name.replace(/(^|-)([a-z0-9])/g, (_, _dash, c: string) => c.toUpperCase());

/** Why the gateway routes need no API Gateway authorizer (cdk-nag APIG4). */
const GATEWAY_AUTHORIZATION =
  'The gateway function authenticates every call itself (bearer token or HMAC signature, per the API) ' +
  'and checks its scopes';

/**
 * The gateway in front of the registered APIs (`/apis/{apiName}/…`), the scheduled health check
 * that probes their upstream servers every minute for every gateway instance, and the upstream alerts
 * that tell each API's provider app when a server of it is ejected or its breaker opens.
 */
export class GatewayApi extends Capability {
  /** The gateway function of every API outside the groups. */
  readonly gateway: PorticoFunction;
  /** Each group's gateway function. */
  readonly groupGateways: Readonly<Record<string, PorticoFunction>>;
  readonly healthCheck: PorticoFunction;
  readonly healthCheckSchedule: Schedule;
  readonly upstreamAlerts: PorticoFunction;

  constructor(scope: Construct, id: string, props: GatewayApiProps) {
    super(scope, id, props);
    const { data } = props;
    const { egressAllow } = this;

    const groups = props.groups ?? {};
    for (const [group, { reservedConcurrency }] of Object.entries(groups))
      if (!Number.isInteger(reservedConcurrency) || reservedConcurrency < 1)
        throw new Error(`gateway group "${group}": reservedConcurrency must be an integer ≥ 1`);
    const groupApis = checkDeploymentGroups(
      Object.fromEntries(Object.entries(groups).map(([group, { apis }]) => [group, apis])),
    );
    this.gateway = this.gatewayFunction('GatewayFunction', props, groupApis);
    this.addRoutes(
      GATEWAY_ROUTES.map((key) => [key, this.gateway] as const),
      GATEWAY_AUTHORIZATION,
    );
    // Each group's APIs by their literal path: API Gateway prefers it to `{apiName}`, so a group's
    // calls reach its own function, whose reserved concurrency no other group can take.
    this.groupGateways = Object.fromEntries(
      Object.entries(groups).map(([group, { apis, reservedConcurrency }]) => {
        const fn = this.gatewayFunction(
          `GatewayFunction${pascal(group)}`,
          props,
          groupApis,
          reservedConcurrency,
        );
        this.addRoutes(
          apis.flatMap((api) =>
            [`ANY /apis/${api}`, `ANY /apis/${api}/{path+}`].map((key) => [key, fn] as const),
          ),
          GATEWAY_AUTHORIZATION,
        );
        return [group, fn];
      }),
    );

    this.healthCheck = new PorticoFunction(this, 'GatewayHealthCheckFunction', {
      entry: 'functions/gateway/health-check.ts',
      service: 'gateway-health-check',
      // A run probes at most 64 servers, 8 at a time, 2 s each: 16 s at worst, then stores the results.
      timeout: Duration.seconds(30),
      environment: {
        [ENV.registryTable]: data.registryTable.tableName,
        [ENV.gatewayStateTable]: data.gatewayStateTable.tableName,
        [ENV.egressAllow]: egressAllow,
        [ENV.eventBusName]: data.bus.eventBusName,
      },
    });
    grantItems(this.healthCheck, data.registryTable, { GetItem: ['API#*'], Query: ['APIS'] });
    grantItems(this.healthCheck, data.gatewayStateTable, { Query: ['HEALTH'], PutItem: ['HEALTH'] });
    // Servers whose verdict changed, as events for their providers (upstream alerts, below).
    data.bus.grantPutEventsTo(this.healthCheck);
    this.healthCheckSchedule = new Schedule(this, 'GatewayHealthCheckSchedule', {
      description: 'Probes the upstream servers of every API and stores the results for the gateway',
      schedule: ScheduleExpression.rate(Duration.minutes(1)),
      // A check that could not start within a minute is superseded by the next one.
      target: new LambdaInvoke(this.healthCheck, {
        deadLetterQueue: props.scheduleFailures,
        retryAttempts: 2,
        maxEventAge: Duration.minutes(1),
      }),
    });
    acknowledge(
      schedulerRolePolicy(this.healthCheckSchedule),
      `IAM5[Resource::${attributeRef(this.healthCheck, 'Arn')}:*]`,
      'The scheduler may invoke the health check function only, any version of it (CDK LambdaInvoke grant)',
    );

    this.upstreamAlerts = new PorticoFunction(this, 'UpstreamAlertsFunction', {
      entry: 'functions/gateway/upstream-alerts.ts',
      service: 'upstream-alerts',
      timeout: Duration.seconds(10),
      environment: {
        [ENV.registryTable]: data.registryTable.tableName,
        [ENV.messagesTable]: data.messagesTable.tableName,
        [ENV.deliveryQueueUrl]: data.deliveryQueue.queueUrl,
      },
    });
    // upstream-alert-messages.ts: the API's provider app (API#); the alert stored once (MSG#) and fanned
    // out to the topic's subscriptions (TOPIC#; an ordered one's head on gsi2) as deliveries (DLV#), queued.
    grantItems(this.upstreamAlerts, data.registryTable, { GetItem: ['API#*'] });
    grantItems(
      this.upstreamAlerts,
      data.messagesTable,
      { GetItem: ['DLV#*', 'MSG#*'], PutItem: ['DLV#*', 'MSG#*'], Query: ['TOPIC#*'] },
      { indexQueries: { gsi2: ['SUB#*'] } },
    );
    data.deliveryQueue.grantSendMessages(this.upstreamAlerts);
    this.upstreamAlerts.addEventSource(
      new SqsEventSource(data.upstreamAlertQueue, {
        batchSize: 10,
        maxBatchingWindow: Duration.seconds(1),
        reportBatchItemFailures: true,
      }),
    );
  }

  /**
   * Lambda, queue and bus upstreams (upstream-targets.ts): only functions, queues and buses of this
   * account and region whose names carry the upstream target prefix, as the console checks on write.
   */
  /** A gateway function: the default one or a group's (with its reserved concurrency), the same grants. */
  private gatewayFunction(
    id: string,
    props: GatewayApiProps,
    groupApis: DeploymentGroups,
    reservedConcurrency?: number,
  ): PorticoFunction {
    const { data } = props;
    const { egressAllow } = this;
    const gateway = new PorticoFunction(this, id, {
      entry: 'functions/gateway/handler.ts',
      flushesOnShutdown: true,
      service: 'gateway',
      memorySize: callerPathMemoryMb(MEASURED_INIT_MS.gateway),
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
        [ENV.issuer]: props.httpApi.apiEndpoint,
        [ENV.egressAllow]: egressAllow,
        [ENV.partnersTable]: data.partnersTable.tableName,
        [ENV.requestLogStream]: data.requestLogs.deliveryStream.deliveryStreamName,
        [ENV.identitySigningKeysSecret]: data.identitySigningKeys.secretArn,
        [ENV.upstreamTargetPrefix]: this.upstreamTargetPrefix,
        [ENV.gatewayGroups]: JSON.stringify(groupApis),
      },
      ...(reservedConcurrency === undefined ? {} : { reservedConcurrentExecutions: reservedConcurrency }),
    });
    this.grantUpstreamTargets(gateway);
    // The identity token each upstream call carries, signed with keys of the gateway's own.
    grantSecret(gateway, data.identitySigningKeys, data.key, 'read');
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
    // Request logs, redacted before they leave (request-log.ts).
    data.requestLogs.deliveryStream.grantPutRecords(gateway);
    // Shared breaker and health state: one Query per item collection, conditional PutItem of breakers.
    grantItems(gateway, data.gatewayStateTable, { Query: ['BREAKERS', 'HEALTH'], PutItem: ['BREAKERS'] });
    // Breaker state changes, published as events.
    data.bus.grantPutEventsTo(gateway);
    // Partner health (health-reader.ts, partner-gate.ts): a partner's definition and partition (notices,
    // verified with the record key; automatic state), and this instance's traffic totals per minute.
    grantItems(gateway, data.partnersTable, {
      GetItem: ['PARTNERS', 'PARTNER#*', 'RECORD_SIGNING_KEY'],
      Query: ['PARTNER#*'],
      PutItem: ['TRAFFIC#*', 'RECORD_SIGNING_KEY'],
    });
    grantKeyUse(gateway, data.key, 'kms:Decrypt', { purpose: 'partner-record-signing' });
    grantKeyUse(gateway, data.key, 'kms:GenerateDataKey', { purpose: 'partner-record-signing' });

    return gateway;
  }

  private grantUpstreamTargets(gateway: PorticoFunction): void {
    const stack = Stack.of(this);
    const prefix = this.upstreamTargetPrefix;
    /** The ARNs, with the stack's pseudo parameters or as cdk-nag names them in its findings. */
    const arns = (partition: string, region: string, account: string) =>
      [
        [['lambda:InvokeFunction'], `arn:${partition}:lambda:${region}:${account}:function:${prefix}*`],
        [['sqs:GetQueueUrl', 'sqs:SendMessage'], `arn:${partition}:sqs:${region}:${account}:${prefix}*`],
        [['events:PutEvents'], `arn:${partition}:events:${region}:${account}:event-bus/${prefix}*`],
      ] as const;
    const named = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<${pseudo}>` : value);
    const findings = arns(
      named(stack.partition, 'AWS::Partition'),
      named(stack.region, 'AWS::Region'),
      named(stack.account, 'AWS::AccountId'),
    );
    for (const [actions, resource] of arns(stack.partition, stack.region, stack.account))
      gateway.addToRolePolicy(new PolicyStatement({ actions: [...actions], resources: [resource] }));
    for (const [, resource] of findings)
      acknowledge(
        cfn(gateway.role!.node.findChild('DefaultPolicy')),
        `IAM5[Resource::${resource}]`,
        'Upstream functions, queues and buses are registered at run time: any whose name carries the ' +
          'upstream target prefix, which the console checks every API definition against',
      );
  }
}
