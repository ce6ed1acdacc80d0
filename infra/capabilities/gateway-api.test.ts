import { describe, expect, it } from 'vitest';
import { GATEWAY_ROUTES } from '../../functions/gateway/routes.ts';
import { routeKeysInSource, synthCapability } from './capability-fixture.ts';
import { GatewayApi } from './gateway-api.ts';

const GATEWAY = 'functions/gateway/handler.ts';
const HEALTH_CHECK = 'functions/gateway/health-check.ts';
const UPSTREAM_ALERTS = 'functions/gateway/upstream-alerts.ts';
/** Lambda, queue and bus upstreams: this account's and region's, named with the upstream target prefix. */
const UPSTREAM_ARN = 'arn:<AWS::Partition>';
const { resources, functions, routes, schedules, mappings, reaches, mayRun } = synthCapability(
  (scope, props) => new GatewayApi(scope, 'Gateway', props),
);

describe('GatewayApi', () => {
  it('owns the gateway, health-check and upstream-alert functions', () => {
    expect(Object.keys(functions).sort()).toEqual([GATEWAY, HEALTH_CHECK, UPSTREAM_ALERTS]);
  });

  it('feeds the upstream alerts from their queue in batches of 10, reporting partial batch failures', () => {
    expect(mappings).toEqual([
      expect.objectContaining({
        FunctionName: UPSTREAM_ALERTS,
        EventSourceArn: 'UpstreamAlertQueue',
        BatchSize: 10,
        MaximumBatchingWindowInSeconds: 1,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      }),
    ]);
  });

  it('routes exactly the gateway route table to the gateway', () => {
    expect(routes).toEqual(Object.fromEntries(GATEWAY_ROUTES.map((key) => [key, GATEWAY])));
    for (const entry of [GATEWAY, HEALTH_CHECK])
      for (const key of routeKeysInSource(entry)) expect(routes[key], `${entry}: ${key}`).toBe(entry);
  });

  it('sizes the gateway by its cold start (docs/cost.md)', () => {
    expect(resources[functions[GATEWAY]!].Properties.MemorySize).toBe(960);
  });

  it('answers before API Gateway gives up on the integration (30 s)', () => {
    expect(resources[functions[GATEWAY]!].Properties.Timeout).toBeLessThan(30);
  });

  it('runs the health check every minute, superseded after a minute, into the shared dead-letter queue', () => {
    expect(schedules).toEqual([
      {
        expression: 'rate(1 minute)',
        target: HEALTH_CHECK,
        retryPolicy: { MaximumEventAgeInSeconds: 60, MaximumRetryAttempts: 2 },
        deadLetterQueue: 'ScheduleDlq',
      },
    ]);
  });

  it('grants the gateway its tables, the platform key, the analytics stream, the request-log delivery stream, the bus and prefixed upstream targets', () => {
    expect(reaches(GATEWAY)).toEqual([
      'AnalyticsStream',
      'GatewayStateTable',
      'IdentitySigningKeys',
      'IdentityTable',
      'PartnersTable',
      'PlatformKey',
      'PorticoBus',
      'RateLimitTable',
      'RegistryTable',
      'RequestLogsRequestLogDelivery',
      `${UPSTREAM_ARN}:events:<AWS::Region>:<AWS::AccountId>:event-bus/portico-internal-*`,
      `${UPSTREAM_ARN}:lambda:<AWS::Region>:<AWS::AccountId>:function:portico-internal-*`,
      `${UPSTREAM_ARN}:sqs:<AWS::Region>:<AWS::AccountId>:portico-internal-*`,
    ]);
    expect(
      mayRun(
        GATEWAY,
        'lambda:InvokeFunction',
        `${UPSTREAM_ARN}:lambda:<AWS::Region>:<AWS::AccountId>:function:portico-internal-*`,
      ),
    ).toBe(true);
    expect(mayRun(GATEWAY, 'kinesis:PutRecords', 'AnalyticsStream')).toBe(true);
    expect(mayRun(GATEWAY, 'firehose:PutRecordBatch', 'RequestLogsRequestLogDelivery')).toBe(true);
    expect(mayRun(GATEWAY, 'events:PutEvents', 'PorticoBus')).toBe(true);
    expect(mayRun(GATEWAY, 'kms:Encrypt', 'PlatformKey')).toBe(false);
    expect(mayRun(GATEWAY, 'secretsmanager:GetSecretValue', 'IdentitySigningKeys')).toBe(true);
    expect(mayRun(GATEWAY, 'secretsmanager:GetSecretValue', 'SigningKeys')).toBe(false);
  });

  it('lets the health check read the registry, write health results and announce changes, nothing else', () => {
    expect(reaches(HEALTH_CHECK)).toEqual(['GatewayStateTable', 'PorticoBus', 'RegistryTable']);
    expect(mayRun(HEALTH_CHECK, 'dynamodb:PutItem', 'RegistryTable')).toBe(false);
    expect(mayRun(HEALTH_CHECK, 'dynamodb:PutItem', 'GatewayStateTable')).toBe(true);
    expect(mayRun(HEALTH_CHECK, 'events:PutEvents', 'PorticoBus')).toBe(true);
  });

  it('lets the upstream alerts read API definitions and publish messages, nothing else', () => {
    expect(reaches(UPSTREAM_ALERTS)).toEqual([
      'DeliveryQueue',
      'MessagesTable',
      'MessagesTable/index/gsi2',
      'RegistryTable',
      'UpstreamAlertQueue',
    ]);
    expect(mayRun(UPSTREAM_ALERTS, 'dynamodb:GetItem', 'RegistryTable')).toBe(true);
    expect(mayRun(UPSTREAM_ALERTS, 'dynamodb:PutItem', 'RegistryTable')).toBe(false);
    expect(mayRun(UPSTREAM_ALERTS, 'dynamodb:PutItem', 'MessagesTable')).toBe(true);
  });
});

describe('GatewayApi with API groups', () => {
  const grouped = synthCapability(
    (scope, props) =>
      new GatewayApi(scope, 'Gateway', {
        ...props,
        groups: {
          payments: { apis: ['pay', 'refunds'], reservedConcurrency: 20 },
          search: { apis: ['search'], reservedConcurrency: 5 },
        },
      }),
  );
  type Resource = { Type: string; Properties: Record<string, any> };
  const all = grouped.resources as Record<string, Resource>;
  const gatewayFunctions = Object.entries(all).filter(
    ([, r]) => r.Type === 'AWS::Lambda::Function' && r.Properties.Environment?.Variables?.GATEWAY_GROUPS,
  );
  const groupOfFunction = (id: string) =>
    ({ Payments: 'payments', Search: 'search', '': '' })[
      /GatewayFunction([A-Z][a-z]*)?[0-9A-F]{8}$/.exec(id)?.[1] ?? ''
    ];
  /** Route key → the group of the gateway function it reaches ('' for the default one). */
  const routedTo = Object.fromEntries(
    Object.values(all)
      .filter((r) => r.Type === 'AWS::ApiGatewayV2::Route')
      .map((route) => {
        const integration = all[route.Properties.Target['Fn::Join'][1][1].Ref]!;
        return [
          route.Properties.RouteKey,
          groupOfFunction(integration.Properties.IntegrationUri['Fn::GetAtt'][0]),
        ];
      }),
  );

  it("gives each group a gateway function of its own, with the group's reserved concurrency", () => {
    const byGroup = Object.fromEntries(
      gatewayFunctions.map(([id, r]) => [groupOfFunction(id), r.Properties.ReservedConcurrentExecutions]),
    );
    expect(byGroup).toEqual({ '': undefined, payments: 20, search: 5 });
    for (const [, r] of gatewayFunctions)
      expect(JSON.parse(r.Properties.Environment.Variables.GATEWAY_GROUPS)).toEqual({
        payments: ['pay', 'refunds'],
        search: ['search'],
      });
  });

  it("routes each group's APIs by their literal path to its function, every other API to the default one", () => {
    expect(routedTo).toEqual({
      'ANY /apis/{apiName}': '',
      'ANY /apis/{apiName}/{path+}': '',
      'ANY /apis/pay': 'payments',
      'ANY /apis/pay/{path+}': 'payments',
      'ANY /apis/refunds': 'payments',
      'ANY /apis/refunds/{path+}': 'payments',
      'ANY /apis/search': 'search',
      'ANY /apis/search/{path+}': 'search',
    });
  });

  it('grants every gateway function the same permissions', () => {
    const policyOf = (fnId: string) => {
      const role = all[fnId]!.Properties.Role['Fn::GetAtt'][0];
      return Object.values(all)
        .filter((r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((x: any) => x.Ref === role))
        .flatMap((r) => r.Properties.PolicyDocument.Statement)
        .map((st) => JSON.stringify({ ...st, Resource: st.Resource }))
        .sort();
    };
    const [first, ...rest] = gatewayFunctions.map(([id]) => policyOf(id));
    expect(first!.length).toBeGreaterThan(5);
    for (const other of rest) expect(other).toEqual(first);
  });

  it.each([
    [{ g: { apis: ['a'], reservedConcurrency: 0 } }, /reservedConcurrency must be an integer/],
    [{ g: { apis: ['a'], reservedConcurrency: 1 }, h: { apis: ['a'], reservedConcurrency: 1 } }, /in both/],
  ])('refuses %j', (groups, message) => {
    expect(() =>
      synthCapability((scope, props) => new GatewayApi(scope, 'Gateway', { ...props, groups })),
    ).toThrow(message);
  });
});
