import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import {
  ANALYTICS_APP_ROUTES,
  ANALYTICS_CONSOLE_ROUTES,
  LOG_ROUTES,
  PROVIDER_REPORT_ROUTE,
  TRACE_CONSOLE_ROUTES,
} from '../../functions/analytics/routes.ts';
import { CONSOLE_ROUTES } from '../../functions/console/routes.ts';
import { DISCOVERY_ROUTES } from '../../functions/discovery/routes.ts';
import { CATCH_ALL_ROUTE, PLANNED_ROUTES } from '../../functions/fallback/routes.ts';
import { GATEWAY_ROUTES } from '../../functions/gateway/routes.ts';
import { MESSAGES_API_ROUTES, PUBLISH_ROUTE } from '../../functions/messages/routes.ts';
import { OAUTH_ROUTES } from '../../functions/oauth/routes.ts';
import {
  HEALTH_ROUTES,
  PARTNER_CONSOLE_ROUTES,
  PARTNER_PUSH_ROUTE,
} from '../../functions/partners/routes.ts';
import { DEVELOPER_ROUTES, PORTAL_ROUTES, SIGN_UP_ROUTE } from '../../functions/portal/routes.ts';
import { TEST_CASE_ROUTES } from '../../functions/testcases/routes.ts';
import { buildUnbundledPortico, STACK_NAMES } from '../app.ts';
import { PorticoFunction } from '../constructs/portico-function.ts';
import { LOCAL_ENTRY_METADATA } from '../local-metadata.ts';
import type { ApiStack } from './api-stack.ts';
import type { DataStack } from './data-stack.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const app = buildUnbundledPortico();
const api = app.node.findChild(STACK_NAMES.api) as ApiStack;
const data = app.node.findChild(STACK_NAMES.data) as DataStack;
const template = Template.fromStack(api);
const dataTemplate = Template.fromStack(data);

type Json = any;
const resources: Record<string, Json> = template.toJSON().Resources;
/** Functions backing a custom resource are CDK framework providers (e.g. triggers), not Portico's own. */
const providers = new Set(
  Object.values(resources)
    .filter((r) => r.Type.startsWith('Custom::') || r.Type === 'AWS::CloudFormation::CustomResource')
    .map((r) => r.Properties.ServiceToken?.['Fn::GetAtt']?.[0]),
);
const functions: Record<string, Json> = Object.fromEntries(
  Object.entries(template.findResources('AWS::Lambda::Function')).filter(([id]) => !providers.has(id)),
);

/** The one resource of a findResources() result. */
const only = (found: Record<string, Json>): Json => {
  const values = Object.values(found);
  expect(values).toHaveLength(1);
  return values[0];
};
const mappings = (props: Json) =>
  template.findResources('AWS::Lambda::EventSourceMapping', { Properties: props });
/** Logical ID of the function whose `portico:local` metadata names this entry module. */
const fn = (entry: string) => {
  const ids = Object.keys(functions).filter(
    (id) => functions[id].Metadata?.[LOCAL_ENTRY_METADATA]?.entry === entry,
  );
  expect(ids, entry).toHaveLength(1);
  return ids[0]!;
};
/** The data-stack logical ID an `Fn::ImportValue` in this stack resolves to. */
const imported = (value: Json): string | undefined => {
  if (!value?.['Fn::ImportValue']) return undefined;
  const outputs: Record<string, Json> = dataTemplate.toJSON().Outputs;
  const output = Object.values(outputs).find((o) => o.Export?.Name === value?.['Fn::ImportValue']);
  return output?.Value?.['Fn::GetAtt']?.[0] ?? output?.Value?.Ref;
};
const roleOf = (fnId: string) => functions[fnId].Properties.Role['Fn::GetAtt'][0];
/** Allowed statements of all policies, or of those attached to one function's role. */
const statements = (fnId?: string) =>
  Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p: Json) => !fnId || p.Properties.Roles.some((r: Json) => r.Ref === roleOf(fnId)))
    .flatMap((p: Json) => p.Properties.PolicyDocument.Statement as Json[])
    .filter((s) => s.Effect === 'Allow')
    .map((s) => ({
      actions: [s.Action].flat() as string[],
      resources: [s.Resource].flat() as Json[],
      leadingKeys: (s.Condition?.['ForAllValues:StringLike'] ?? s.Condition?.['ForAllValues:StringEquals'])?.[
        'dynamodb:LeadingKeys'
      ] as string[] | undefined,
    }));
const glob = (pattern: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
const allows = (fnId: string, action: string, resource?: string) =>
  statements(fnId).some(
    (s) =>
      s.actions.some((a) => glob(a).test(action)) &&
      (!resource || s.resources.some((r) => r === '*' || imported(r) === resource)),
  );
const dataId = (construct: { node: { defaultChild?: unknown } }) =>
  data.getLogicalId(construct.node.defaultChild as CfnElement);

const ENTRIES = {
  token: 'functions/oauth/token.ts',
  authorize: 'functions/oauth/authorize.ts',
  tokenManagement: 'functions/oauth/token-management.ts',
  discovery: 'functions/discovery/handler.ts',
  console: 'functions/console/handler.ts',
  gateway: 'functions/gateway/handler.ts',
  fallback: 'functions/fallback/handler.ts',
  portal: 'functions/portal/handler.ts',
  portalDeveloper: 'functions/portal/developer.ts',
  testCases: 'functions/testcases/api.ts',
  testCaseRunner: 'functions/testcases/run-due.ts',
  loadGenerator: 'functions/testcases/generate-load.ts',
  aggregate: 'functions/analytics/aggregate.ts',
  analyticsApi: 'functions/analytics/api.ts',
  logSearch: 'functions/analytics/logs.ts',
  traces: 'functions/analytics/traces.ts',
  ingest: 'functions/messages/ingest.ts',
  deliver: 'functions/messages/deliver.ts',
  messagesApi: 'functions/messages/api.ts',
  publish: 'functions/messages/publish.ts',
  redrive: 'functions/messages/redrive.ts',
  ingestRedrive: 'functions/messages/ingest-redrive.ts',
  stream: 'functions/messages/stream.ts',
  rotate: 'functions/keys/rotate.ts',
  healthCheck: 'functions/gateway/health-check.ts',
  upstreamAlerts: 'functions/gateway/upstream-alerts.ts',
  partnersConsole: 'functions/partners/console.ts',
  partnerPush: 'functions/partners/push.ts',
  partnerHealth: 'functions/partners/health.ts',
  partnerPollScheduler: 'functions/partners/schedule-polls.ts',
  partnerPoll: 'functions/partners/poll.ts',
  partnerEvaluate: 'functions/partners/evaluate.ts',
  sampleOrders: 'functions/samples/orders.ts',
};

describe('ApiStack: Lambda functions', () => {
  it('has exactly one function per handler module', () => {
    const entries = Object.values(functions).map((f: Json) => f.Metadata?.[LOCAL_ENTRY_METADATA]?.entry);
    expect(entries.sort()).toEqual(Object.values(ENTRIES).sort());
  });

  it('runs every function on Node.js 22, arm64, index.handler, X-Ray active, source maps enabled', () => {
    for (const [id, f] of Object.entries(functions)) {
      expect(f.Properties, id).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        Environment: { Variables: expect.objectContaining({ NODE_OPTIONS: '--enable-source-maps' }) },
      });
    }
  });

  it('logs every function to its own explicit log group with a retention', () => {
    const groups = Object.entries(functions).map(([id, f]) => {
      const group = f.Properties.LoggingConfig?.LogGroup?.Ref;
      expect(resources[group]?.Type, id).toBe('AWS::Logs::LogGroup');
      expect(resources[group].Properties.RetentionInDays, id).toBeGreaterThan(0);
      return group;
    });
    expect(new Set(groups).size).toBe(groups.length);
  });

  it('gives the functions that buffer analytics records, and only those, the shutdown extension (one layer)', () => {
    const layers = Object.keys(template.findResources('AWS::Lambda::LayerVersion'));
    expect(layers).toHaveLength(1);
    const withLayer = Object.keys(functions).filter((id) =>
      (functions[id].Properties.Layers ?? []).some((l: Json) => l.Ref === layers[0]),
    );
    expect(withLayer.sort()).toEqual(
      [fn('functions/gateway/handler.ts'), fn('functions/messages/deliver.ts')].sort(),
    );
  });

  it('tags every function with portico:local metadata naming an existing module that exports it', () => {
    for (const [id, f] of Object.entries(functions)) {
      const local = f.Metadata?.[LOCAL_ENTRY_METADATA];
      expect(local, id).toEqual({ entry: expect.any(String), handler: 'handler' });
      const file = path.resolve(REPO_ROOT, local.entry);
      expect(existsSync(file), file).toBe(true);
      expect(readFileSync(file, 'utf8')).toMatch(/export\s+(const|(async\s+)?function)\s+handler\b/);
    }
  });
});

const httpApiId = api.getLogicalId(api.httpApi.node.defaultChild as CfnElement);
const httpOnly = { Properties: { ProtocolType: 'HTTP' } };
/** Resources of the HTTP API (not of the message stream, a WebSocket API). */
const ofHttpApi = { Properties: { ApiId: { Ref: httpApiId } } };

describe('ApiStack: HTTP API', () => {
  const {
    token,
    authorize,
    tokenManagement,
    discovery,
    console: consoleFn,
    gateway,
    fallback,
    portal,
    portalDeveloper,
    testCases,
    messagesApi,
    publish,
    partnersConsole,
    partnerPush,
    partnerHealth,
    analyticsApi,
    logSearch,
    traces,
  } = ENTRIES;
  const oauth = { token, authorize, 'token-management': tokenManagement };
  // The route tables the capabilities are built from, each key with the handler module behind it.
  const expected: Record<string, string> = {
    ...Object.fromEntries(Object.entries(OAUTH_ROUTES).map(([key, module]) => [key, oauth[module]])),
    ...Object.fromEntries(Object.keys(DISCOVERY_ROUTES).map((key) => [key, discovery])),
    ...Object.fromEntries(Object.keys(CONSOLE_ROUTES).map((key) => [key, consoleFn])),
    ...Object.fromEntries(GATEWAY_ROUTES.map((key) => [key, gateway])),
    ...Object.fromEntries(MESSAGES_API_ROUTES.map((key) => [key, messagesApi])),
    [PUBLISH_ROUTE]: publish,
    ...Object.fromEntries(Object.keys(PARTNER_CONSOLE_ROUTES).map((key) => [key, partnersConsole])),
    [PARTNER_PUSH_ROUTE]: partnerPush,
    ...Object.fromEntries(
      [...Object.keys(ANALYTICS_CONSOLE_ROUTES), ...ANALYTICS_APP_ROUTES].map((key) => [key, analyticsApi]),
    ),
    ...Object.fromEntries(Object.keys(LOG_ROUTES).map((key) => [key, logSearch])),
    ...Object.fromEntries(
      [...Object.keys(TRACE_CONSOLE_ROUTES), PROVIDER_REPORT_ROUTE].map((key) => [key, traces]),
    ),
    ...Object.fromEntries(HEALTH_ROUTES.map((key) => [key, partnerHealth])),
    ...Object.fromEntries(Object.keys(PORTAL_ROUTES).map((key) => [key, portal])),
    ...Object.fromEntries(Object.keys(DEVELOPER_ROUTES).map((key) => [key, portalDeveloper])),
    [SIGN_UP_ROUTE]: portalDeveloper,
    ...Object.fromEntries(Object.keys(TEST_CASE_ROUTES).map((key) => [key, testCases])),
    ...Object.fromEntries([...PLANNED_ROUTES, CATCH_ALL_ROUTE].map((key) => [key, fallback])),
  };

  it('is one HTTP API with exactly the listed route keys, each proxied to the right function', () => {
    expect(Object.keys(template.findResources('AWS::ApiGatewayV2::Api', httpOnly))).toEqual([httpApiId]);
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route', ofHttpApi));
    const actual = Object.fromEntries(
      routes.map((route: Json) => {
        const integration = resources[route.Properties.Target['Fn::Join'][1][1].Ref].Properties;
        expect(integration).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
        const target = functions[integration.IntegrationUri['Fn::GetAtt'][0]];
        return [route.Properties.RouteKey, target.Metadata[LOCAL_ENTRY_METADATA].entry];
      }),
    );
    expect(routes).toHaveLength(Object.keys(expected).length);
    expect(actual).toEqual(expected);
  });

  it('serves the public paths the design fixes', () => {
    const keys = Object.values(template.findResources('AWS::ApiGatewayV2::Route', ofHttpApi)).map(
      (route: Json) => route.Properties.RouteKey,
    );
    expect(keys).toEqual(
      expect.arrayContaining([
        'POST /oauth2/token',
        'GET /oauth2/authorize',
        'POST /oauth2/introspect',
        'POST /oauth2/revoke',
        'GET /.well-known/oauth-authorization-server',
        'GET /.well-known/jwks.json',
        'ANY /apis/{apiName}/{path+}',
        'GET /openapi.json',
        'POST /partners/v1/notices',
        'GET /health/v1/partners/{partnerId}',
      ]),
    );
  });

  it('logs every request of the $default stage as one JSON line, to a log group with a retention', () => {
    const stage = only(template.findResources('AWS::ApiGatewayV2::Stage', ofHttpApi)).Properties;
    expect(stage).toMatchObject({ StageName: '$default', AutoDeploy: true });
    const group = resources[stage.AccessLogSettings.DestinationArn['Fn::GetAtt'][0]];
    expect(group.Type).toBe('AWS::Logs::LogGroup');
    expect(group.Properties.RetentionInDays).toBeGreaterThan(0);
    expect(JSON.parse(stage.AccessLogSettings.Format)).toMatchObject({
      requestId: '$context.requestId',
      routeKey: '$context.routeKey',
      status: '$context.status',
    });
  });

  it('puts every Portico function in exactly one capability', () => {
    const capabilities = [
      api.identity,
      api.console,
      api.gateway,
      api.analytics,
      api.messages,
      api.partners,
      api.portal,
      api.testCases,
      api.fallback,
      api.samples,
    ];
    const owned = capabilities.flatMap((c) =>
      c.node
        .findAll()
        .filter((x) => x instanceof PorticoFunction)
        .map((fn) => api.getLogicalId(fn.node.defaultChild as CfnElement)),
    );
    expect(owned.sort()).toEqual(Object.keys(functions).sort());
  });

  it('outputs the API endpoint as ApiUrl, and the message stream URL as MessageStreamUrl', () => {
    template.hasOutput('ApiUrl', { Value: { 'Fn::GetAtt': [httpApiId, 'ApiEndpoint'] } });
    const streamId = api.getLogicalId(api.messages.stream.api.node.defaultChild as CfnElement);
    const url = JSON.stringify(template.toJSON().Outputs.MessageStreamUrl.Value);
    expect(url).toContain('wss://');
    expect(url).toContain(JSON.stringify({ Ref: streamId }));
    expect(url).toContain('/v1');
  });
});

describe('ApiStack: asynchronous workers', () => {
  it('feeds the aggregate function from Kinesis: TRIM_HORIZON, bisect on error, bounded retries, on-failure DLQ', () => {
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 7);
    const esm = only(mappings({ StartingPosition: 'TRIM_HORIZON' })).Properties;
    expect(esm).toMatchObject({
      FunctionName: { Ref: fn(ENTRIES.aggregate) },
      BisectBatchOnFunctionError: true,
    });
    expect(esm.MaximumRetryAttempts).toBeGreaterThanOrEqual(0);
    expect(imported(esm.EventSourceArn)).toBe(dataId(data.analyticsStream));
    expect(imported(esm.DestinationConfig?.OnFailure?.Destination)).toBe(dataId(data.analyticsFailures));
  });

  it('feeds the ingest, delivery, both redrives, partner poll and upstream alert functions from SQS with partial batch responses and a long enough visibility timeout', () => {
    const sqsMappings = Object.values(mappings({ FunctionResponseTypes: ['ReportBatchItemFailures'] }));
    expect(sqsMappings).toHaveLength(6);
    for (const [entry, queueOf] of [
      [ENTRIES.ingest, data.messageIngestQueue],
      [ENTRIES.deliver, data.deliveryQueue],
      [ENTRIES.redrive, data.deliveryDeadLetters],
      [ENTRIES.ingestRedrive, data.messageIngestDeadLetters],
      [ENTRIES.partnerPoll, data.partnerPollQueue],
      [ENTRIES.upstreamAlerts, data.upstreamAlertQueue],
    ] as const) {
      const worker = fn(entry);
      const esm = sqsMappings.find((m: Json) => m.Properties.FunctionName.Ref === worker)!.Properties;
      expect(esm.StartingPosition).toBeUndefined();
      const queueId = imported(esm.EventSourceArn);
      expect(queueId).toBe(dataId(queueOf));
      const queue = dataTemplate.toJSON().Resources[queueId!].Properties;
      // AWS guidance: visibility timeout at least six times the function timeout.
      expect(queue.VisibilityTimeout).toBeGreaterThanOrEqual(6 * functions[worker].Properties.Timeout);
    }
  });

  it('has five schedules: key rotation, the gateway health check, partner polls and evaluation, test cases', () => {
    template.resourceCountIs('AWS::Scheduler::Schedule', 5);
  });

  it('invokes key rotation on a rate schedule with a retry policy and a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: Match.stringLikeRegexp('^rate\\(.+\\)$'),
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [fn(ENTRIES.rotate), 'Arn'] },
        RetryPolicy: Match.objectLike({ MaximumRetryAttempts: Match.anyValue() }),
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } },
      }),
    });
  });

  it('runs the gateway health check and the partner schedules every minute, with a short event age and the schedule dead-letter queue', () => {
    const schedules = template.findResources('AWS::Scheduler::Schedule');
    const target = (id: string) =>
      only(
        Object.fromEntries(
          Object.entries(schedules).filter(
            ([, s]: [string, Json]) => s.Properties.Target.Arn['Fn::GetAtt'][0] === id,
          ),
        ),
      ).Properties;
    for (const entry of [
      ENTRIES.healthCheck,
      ENTRIES.partnerPollScheduler,
      ENTRIES.partnerEvaluate,
      ENTRIES.testCaseRunner,
    ]) {
      const schedule = target(fn(entry));
      expect(schedule.ScheduleExpression, entry).toBe('rate(1 minute)');
      expect(schedule.Target.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 60, MaximumRetryAttempts: 2 });
      expect(schedule.Target.DeadLetterConfig).toEqual(target(fn(ENTRIES.rotate)).Target.DeadLetterConfig);
    }
  });

  it('gives the health check 30 s and the registry and gateway state tables', () => {
    const f = functions[fn(ENTRIES.healthCheck)].Properties;
    expect(f.Timeout).toBe(30);
    const env = f.Environment.Variables;
    expect(imported(env.REGISTRY_TABLE)).toBe(dataId(data.registryTable));
    expect(imported(env.GATEWAY_STATE_TABLE)).toBe(dataId(data.gatewayStateTable));
  });

  it('tells the gateway where its shared state and the event bus are', () => {
    const env = functions[fn(ENTRIES.gateway)].Properties.Environment.Variables;
    expect(imported(env.GATEWAY_STATE_TABLE)).toBe(dataId(data.gatewayStateTable));
    expect(imported(env.EVENT_BUS_NAME)).toBe(dataId(data.bus));
  });
});

describe('ApiStack: least privilege', () => {
  it('never allows a wildcard action, nor Resource "*" for anything but X-Ray', () => {
    for (const { actions, resources: targets } of statements()) {
      for (const action of actions) expect(action).not.toMatch(/^\*$|:\*$/);
      if (targets.includes('*')) for (const action of actions) expect(action).toMatch(/^xray:/);
    }
  });

  it('lets the gateway read both tables, never delete, and write only nonces and usage counts to identity', () => {
    const gateway = fn(ENTRIES.gateway);
    for (const table of [data.identityTable, data.registryTable])
      expect(allows(gateway, 'dynamodb:GetItem', dataId(table))).toBe(true);
    for (const write of ['PutItem', 'UpdateItem'])
      expect(allows(gateway, `dynamodb:${write}`, dataId(data.identityTable)), write).toBe(true);
    for (const write of ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'])
      expect(allows(gateway, `dynamodb:${write}`, dataId(data.registryTable)), write).toBe(false);
    for (const write of ['DeleteItem', 'BatchWriteItem'])
      expect(allows(gateway, `dynamodb:${write}`), write).toBe(false);
    // The identity writes reach nonces and token records only (see least-privilege.test.ts).
    const identityWrites = statements(gateway).filter(
      (s) =>
        s.resources.some((r) => imported(r) === dataId(data.identityTable)) &&
        s.actions.some((a) => a === 'dynamodb:PutItem' || a === 'dynamodb:UpdateItem'),
    );
    expect(identityWrites.map((s) => [s.actions, s.leadingKeys])).toEqual([
      [['dynamodb:PutItem'], ['NONCE#*']],
      [['dynamodb:UpdateItem'], ['APP#*']],
    ]);
  });

  it('lets the gateway Query and PutItem the gateway state table, nothing more, and publish to the bus and to bus upstreams', () => {
    const gateway = fn(ENTRIES.gateway);
    const state = dataId(data.gatewayStateTable);
    for (const action of ['Query', 'PutItem'])
      expect(allows(gateway, `dynamodb:${action}`, state), action).toBe(true);
    for (const action of ['GetItem', 'Scan', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'])
      expect(allows(gateway, `dynamodb:${action}`, state), action).toBe(false);
    expect(allows(gateway, 'events:PutEvents', dataId(data.bus))).toBe(true);
    const publish = statements(gateway).filter((s) => s.actions.includes('events:PutEvents'));
    // The platform's bus, and bus upstreams: buses whose names carry the upstream target prefix.
    expect(publish.flatMap((s) => s.resources.map((r) => imported(r) ?? JSON.stringify(r)))).toEqual([
      dataId(data.bus),
      expect.stringMatching(/:event-bus\/portico-internal-\*"\]\]\}$/),
    ]);
  });

  it('lets the health check read the registry and read and write the gateway state, but not change the registry', () => {
    const check = fn(ENTRIES.healthCheck);
    for (const action of ['GetItem', 'Query'])
      expect(allows(check, `dynamodb:${action}`, dataId(data.registryTable)), action).toBe(true);
    for (const action of ['Query', 'PutItem'])
      expect(allows(check, `dynamodb:${action}`, dataId(data.gatewayStateTable)), action).toBe(true);
    for (const action of ['PutItem', 'UpdateItem', 'DeleteItem'])
      expect(allows(check, `dynamodb:${action}`, dataId(data.registryTable)), action).toBe(false);
    expect(allows(check, 'dynamodb:GetItem', dataId(data.identityTable))).toBe(false);
  });

  it('lets the token function read but not write the signing-keys secret; the rotation function writes it', () => {
    const secret = dataId(data.signingKeys);
    expect(allows(fn(ENTRIES.token), 'secretsmanager:GetSecretValue', secret)).toBe(true);
    expect(allows(fn(ENTRIES.token), 'secretsmanager:PutSecretValue')).toBe(false);
    expect(allows(fn(ENTRIES.rotate), 'secretsmanager:PutSecretValue', secret)).toBe(true);
  });

  // rotateSigningKeys() reads the published JWKS whenever the keys are unchanged, to detect drift.
  it('lets the key rotation function read and write the published JWKS item, and no other', () => {
    const rotate = fn(ENTRIES.rotate);
    expect(allows(rotate, 'dynamodb:GetItem', dataId(data.identityTable))).toBe(true);
    const identity = statements(rotate).filter((s) =>
      s.resources.some((r) => imported(r) === dataId(data.identityTable)),
    );
    expect(identity.map((s) => [s.actions, s.leadingKeys])).toEqual([
      [['dynamodb:GetItem', 'dynamodb:PutItem'], ['JWKS']],
    ]);
  });
});
