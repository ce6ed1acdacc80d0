import { existsSync } from 'node:fs';
import path from 'node:path';
import { LOCAL_ENTRY_METADATA, type LocalEntry } from '../infra/local-metadata.ts';
import { parseScheduleExpression } from './schedule-expression.ts';
import { type CfnResource, type ResourceRef, TemplateError, TemplateSet } from './template.ts';

/**
 * What the local runtime does with each resource type. A type missing here is drift: the CDK app
 * gained something the local runtime would silently not have.
 */
export const LOCAL_SUPPORT: Record<string, 'provisioned' | 'served' | 'not needed locally'> = {
  'AWS::DynamoDB::Table': 'provisioned',
  'AWS::SQS::Queue': 'provisioned',
  'AWS::Events::EventBus': 'provisioned',
  'AWS::Events::Rule': 'provisioned',
  'AWS::Kinesis::Stream': 'provisioned',
  'AWS::KMS::Key': 'provisioned',
  'AWS::SecretsManager::Secret': 'provisioned',
  'AWS::S3::Bucket': 'provisioned',
  // Created as a direct-put stream: the emulator writes each PutRecordBatch to the bucket at once.
  'AWS::KinesisFirehose::DeliveryStream': 'provisioned',
  'AWS::Lambda::Function': 'served',
  'AWS::Lambda::EventSourceMapping': 'served',
  'AWS::ApiGatewayV2::Api': 'served',
  'AWS::ApiGatewayV2::Route': 'served',
  'AWS::ApiGatewayV2::Integration': 'served',
  'AWS::ApiGatewayV2::Stage': 'served',
  // A WebSocket route's answer sent back to the client (local/websocket-server.ts).
  'AWS::ApiGatewayV2::RouteResponse': 'served',
  'AWS::Scheduler::Schedule': 'served',
  // The web app on the API's origin: the local HTTP server serves web/dist beside the routes, with the
  // same index.html fallback and security headers (local/web-assets.ts).
  'AWS::CloudFront::Distribution': 'served',
  'AWS::CloudFront::Function': 'served',
  'AWS::CloudFront::ResponseHeadersPolicy': 'served',
  'AWS::CloudFront::OriginAccessControl': 'not needed locally',
  // Run once at start-up, before schedules, as CloudFormation runs them once at deployment.
  'Custom::Trigger': 'served',
  // Locally the function's current code always runs; versions only pin code in the cloud.
  'AWS::Lambda::Version': 'not needed locally',
  // Permissions and log plumbing: the emulator neither enforces IAM nor runs CloudWatch Logs for us.
  'AWS::IAM::Role': 'not needed locally',
  'AWS::IAM::Policy': 'not needed locally',
  'AWS::Lambda::Permission': 'not needed locally',
  // Retries of asynchronous invocations: the local invoke endpoint runs an `Event` invocation once.
  'AWS::Lambda::EventInvokeConfig': 'not needed locally',
  // The shutdown extension makes Lambda send SIGTERM; the local runtime's process gets it directly.
  'AWS::Lambda::LayerVersion': 'not needed locally',
  'AWS::SQS::QueuePolicy': 'not needed locally',
  'AWS::Logs::LogGroup': 'not needed locally',
  'AWS::Logs::LogStream': 'not needed locally',
  'AWS::S3::BucketPolicy': 'not needed locally',
  // The emulator's Athena returns no rows: request-log searches read the log objects instead
  // (LOG_SEARCH_ENGINE=objects), so the catalog and the workgroup have nothing to do locally.
  'AWS::Glue::Database': 'not needed locally',
  'AWS::Glue::Table': 'not needed locally',
  'AWS::Athena::WorkGroup': 'not needed locally',
  // Alarms watch CloudWatch metrics: locally the metrics are log lines (EMF) and nothing evaluates them.
  'AWS::CloudWatch::Alarm': 'not needed locally',
  'AWS::CloudWatch::Dashboard': 'not needed locally',
  // Where the alarms go: nothing raises them locally.
  'AWS::SNS::Topic': 'not needed locally',
  'AWS::SNS::TopicPolicy': 'not needed locally',
  'AWS::CDK::Metadata': 'not needed locally',
};

/** Resources created in the emulator, in an order that satisfies their references. */
export const PROVISION_ORDER = [
  'AWS::KMS::Key',
  'AWS::SecretsManager::Secret',
  'AWS::DynamoDB::Table',
  'AWS::SQS::Queue',
  'AWS::Kinesis::Stream',
  'AWS::S3::Bucket',
  'AWS::KinesisFirehose::DeliveryStream',
  'AWS::Events::EventBus',
  'AWS::Events::Rule',
];

export interface LocalFunction {
  id: ResourceRef;
  entry: string;
  handler: string;
  timeoutMs: number;
  /** Calls it may run at once (`ReservedConcurrentExecutions`); beyond them Lambda throttles. */
  reservedConcurrency?: number;
}

export interface LocalRoute {
  routeKey: string;
  functionId: string;
}

/** A WebSocket API route: its key (`$connect`, `$disconnect`, `$default` or a selected value) and function. */
export interface LocalWebSocketRoute {
  routeKey: string;
  functionId: string;
  /** Its function's answer goes back to the client as a frame (a `$default` route response). */
  answers: boolean;
}

export interface LocalWebSocketApi {
  id: ResourceRef;
  /** The field of a JSON frame whose value selects the route (`$request.body.<field>`). */
  selectionField: string;
  stageNames: string[];
  routes: LocalWebSocketRoute[];
}

export interface LocalQueueMapping {
  id: ResourceRef;
  functionId: string;
  queue: ResourceRef;
  batchSize: number;
  maxBatchingWindowSeconds: number;
  reportBatchItemFailures: boolean;
}

export interface LocalStreamMapping {
  id: ResourceRef;
  functionId: string;
  stream: ResourceRef;
  batchSize: number;
  /** How long records are gathered before the function is invoked with fewer than `batchSize`. */
  maxBatchingWindowSeconds: number;
  startingPosition: 'TRIM_HORIZON' | 'LATEST';
  maximumRetryAttempts: number;
  onFailure?: ResourceRef;
}

export interface LocalSchedule {
  id: ResourceRef;
  expression: string;
  functionId: string;
  input?: string;
}

export interface LocalTrigger {
  id: ResourceRef;
  functionId: string;
}

export interface LocalPlan {
  set: TemplateSet;
  provisioned: ResourceRef[];
  functions: Map<string, LocalFunction>;
  routes: LocalRoute[];
  webSocketApis: LocalWebSocketApi[];
  queueMappings: LocalQueueMapping[];
  streamMappings: LocalStreamMapping[];
  schedules: LocalSchedule[];
  triggers: LocalTrigger[];
  /** Everything in the templates that would not work locally. Empty means no drift. */
  problems: string[];
}

const key = (r: ResourceRef) => `${r.stackName}/${r.logicalId}`;

/** The resource an expression points at, following Ref, Fn::GetAtt and cross-stack Fn::ImportValue. */
export function referencedResource(
  set: TemplateSet,
  value: unknown,
  stackName: string,
): ResourceRef | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = referencedResource(set, item, stackName);
      if (found) return found;
    }
    return undefined;
  }
  const record = value as Record<string, unknown>;
  if (typeof record.Ref === 'string' && !record.Ref.startsWith('AWS::'))
    return set.get(stackName, record.Ref);
  if (record['Fn::GetAtt']) {
    const arg = record['Fn::GetAtt'];
    const logicalId = Array.isArray(arg) ? (arg[0] as string) : String(arg).split('.')[0]!;
    return set.get(stackName, logicalId);
  }
  if (typeof record['Fn::ImportValue'] === 'string') {
    const exported = set.exported(record['Fn::ImportValue']);
    return referencedResource(set, exported.value, exported.stackName);
  }
  for (const inner of Object.values(record)) {
    const found = referencedResource(set, inner, stackName);
    if (found) return found;
  }
  return undefined;
}

const props = (r: CfnResource) => r.Properties ?? {};

export function planLocal(stacks: ConstructorParameters<typeof TemplateSet>[0], repoRoot: string): LocalPlan {
  const set = new TemplateSet(stacks);
  const problems: string[] = [];
  const plan: LocalPlan = {
    set,
    provisioned: [],
    functions: new Map(),
    routes: [],
    webSocketApis: [],
    queueMappings: [],
    streamMappings: [],
    schedules: [],
    triggers: [],
    problems,
  };
  const attempt = (what: string, fn: () => void) => {
    try {
      fn();
    } catch (error) {
      problems.push(`${what}: ${error instanceof TemplateError ? error.message : String(error)}`);
    }
  };

  for (const ref of set.resources) {
    const support = LOCAL_SUPPORT[ref.resource.Type];
    if (!support) problems.push(`${key(ref)}: resource type ${ref.resource.Type} has no local support`);
  }

  for (const type of PROVISION_ORDER) plan.provisioned.push(...set.ofType(type));

  // Functions CDK adds to implement a supported custom resource (the trigger provider) run in the
  // cloud only: locally the runtime does their job itself.
  const providers = new Set(
    set
      .ofType('Custom::Trigger')
      .map((t) => referencedResource(set, t.resource.Properties?.ServiceToken, t.stackName))
      .filter((r): r is ResourceRef => r !== undefined)
      .map(key),
  );
  for (const fn of set.ofType('AWS::Lambda::Function')) {
    if (providers.has(key(fn))) continue;
    const local = fn.resource.Metadata?.[LOCAL_ENTRY_METADATA] as LocalEntry | undefined;
    if (!local?.entry) {
      problems.push(
        `${key(fn)}: function has no ${LOCAL_ENTRY_METADATA} metadata (build it with PorticoFunction)`,
      );
      continue;
    }
    if (!existsSync(path.join(repoRoot, local.entry)))
      problems.push(`${key(fn)}: entry ${local.entry} does not exist`);
    plan.functions.set(key(fn), {
      id: fn,
      entry: local.entry,
      handler: local.handler,
      timeoutMs: Number(props(fn.resource).Timeout ?? 3) * 1000,
      ...(props(fn.resource).ReservedConcurrentExecutions === undefined
        ? {}
        : { reservedConcurrency: Number(props(fn.resource).ReservedConcurrentExecutions) }),
    });
  }
  const functionOf = (value: unknown, stackName: string, what: string): string | undefined => {
    const target = referencedResource(set, value, stackName);
    if (target?.resource.Type !== 'AWS::Lambda::Function' || !plan.functions.has(key(target))) {
      problems.push(`${what}: target is not a locally served Lambda function`);
      return undefined;
    }
    return key(target);
  };

  const webSocketApis = new Map<string, LocalWebSocketApi>();
  for (const api of set.ofType('AWS::ApiGatewayV2::Api')) {
    if (props(api.resource).ProtocolType !== 'WEBSOCKET') continue;
    attempt(key(api), () => {
      const expression = String(props(api.resource).RouteSelectionExpression);
      const field = /^\$request\.body\.([A-Za-z0-9_]+)$/.exec(expression)?.[1];
      if (!field) {
        problems.push(`${key(api)}: route selection ${expression} is not understood locally`);
        return;
      }
      const served: LocalWebSocketApi = { id: api, selectionField: field, stageNames: [], routes: [] };
      webSocketApis.set(key(api), served);
      plan.webSocketApis.push(served);
    });
  }
  const webSocketApiOf = (resource: ResourceRef) => {
    const api = referencedResource(set, props(resource.resource).ApiId, resource.stackName);
    return api && props(api.resource).ProtocolType === 'WEBSOCKET' ? webSocketApis.get(key(api)) : undefined;
  };
  for (const stage of set.ofType('AWS::ApiGatewayV2::Stage')) {
    webSocketApiOf(stage)?.stageNames.push(String(props(stage.resource).StageName));
  }
  const answering = new Set(
    set
      .ofType('AWS::ApiGatewayV2::RouteResponse')
      .filter((r) => props(r.resource).RouteResponseKey === '$default')
      .map((r) => referencedResource(set, props(r.resource).RouteId, r.stackName))
      .filter((r): r is ResourceRef => r !== undefined)
      .map(key),
  );

  for (const route of set.ofType('AWS::ApiGatewayV2::Route')) {
    attempt(key(route), () => {
      const routeKey = String(props(route.resource).RouteKey);
      const webSocketApi = webSocketApiOf(route);
      if (webSocketApi) {
        const integration = referencedResource(set, props(route.resource).Target, route.stackName);
        const p = integration && props(integration.resource);
        if (p?.IntegrationType !== 'AWS_PROXY') {
          problems.push(`${key(route)}: ${routeKey} has no Lambda proxy integration`);
          return;
        }
        const functionId = functionOf(
          p.IntegrationUri,
          integration!.stackName,
          `${key(route)} (${routeKey})`,
        );
        if (functionId)
          webSocketApi.routes.push({ routeKey, functionId, answers: answering.has(key(route)) });
        return;
      }
      if (routeKey !== '$default' && !/^(ANY|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) \/\S*$/.test(routeKey)) {
        problems.push(`${key(route)}: route key ${routeKey} is not understood locally`);
        return;
      }
      const integration = referencedResource(set, props(route.resource).Target, route.stackName);
      if (integration?.resource.Type !== 'AWS::ApiGatewayV2::Integration') {
        problems.push(`${key(route)}: ${routeKey} has no integration`);
        return;
      }
      const p = props(integration.resource);
      if (p.IntegrationType !== 'AWS_PROXY' || (p.PayloadFormatVersion ?? '2.0') !== '2.0') {
        problems.push(
          `${key(route)}: ${routeKey} uses a ${p.IntegrationType} integration; only Lambda proxy 2.0 is served`,
        );
        return;
      }
      const functionId = functionOf(p.IntegrationUri, integration.stackName, `${key(route)} (${routeKey})`);
      if (functionId) plan.routes.push({ routeKey, functionId });
    });
  }

  for (const api of plan.webSocketApis) {
    if (api.stageNames.length === 0) problems.push(`${key(api.id)}: a WebSocket API without a stage`);
  }

  for (const esm of set.ofType('AWS::Lambda::EventSourceMapping')) {
    attempt(key(esm), () => {
      const p = props(esm.resource);
      const functionId = functionOf(p.FunctionName, esm.stackName, key(esm));
      const source = referencedResource(set, p.EventSourceArn, esm.stackName);
      if (!functionId) return;
      const batchSize = Number(p.BatchSize ?? 10);
      const window = Number(p.MaximumBatchingWindowInSeconds ?? 0);
      if (source?.resource.Type === 'AWS::SQS::Queue') {
        plan.queueMappings.push({
          id: esm,
          functionId,
          queue: source,
          batchSize,
          maxBatchingWindowSeconds: window,
          reportBatchItemFailures: ((p.FunctionResponseTypes as string[] | undefined) ?? []).includes(
            'ReportBatchItemFailures',
          ),
        });
      } else if (source?.resource.Type === 'AWS::Kinesis::Stream') {
        const destination = (p.DestinationConfig as { OnFailure?: { Destination?: unknown } } | undefined)
          ?.OnFailure?.Destination;
        const onFailure = destination ? referencedResource(set, destination, esm.stackName) : undefined;
        if (destination && onFailure?.resource.Type !== 'AWS::SQS::Queue') {
          problems.push(`${key(esm)}: only SQS on-failure destinations are served locally`);
        }
        plan.streamMappings.push({
          id: esm,
          functionId,
          stream: source,
          batchSize,
          maxBatchingWindowSeconds: window,
          startingPosition: p.StartingPosition === 'LATEST' ? 'LATEST' : 'TRIM_HORIZON',
          maximumRetryAttempts: Number(p.MaximumRetryAttempts ?? 3),
          ...(onFailure ? { onFailure } : {}),
        });
      } else {
        problems.push(
          `${key(esm)}: event source ${source?.resource.Type ?? 'unknown'} is not polled locally`,
        );
      }
    });
  }

  const addSchedule = (id: ResourceRef, expression: unknown, target: unknown, input: unknown) => {
    attempt(key(id), () => {
      parseScheduleExpression(String(expression));
      const functionId = functionOf(target, id.stackName, key(id));
      if (functionId) {
        plan.schedules.push({
          id,
          expression: String(expression),
          functionId,
          ...(typeof input === 'string' ? { input } : {}),
        });
      }
    });
  };
  for (const trigger of set.ofType('Custom::Trigger')) {
    attempt(key(trigger), () => {
      let handler = referencedResource(set, props(trigger.resource).HandlerArn, trigger.stackName);
      if (handler?.resource.Type === 'AWS::Lambda::Version') {
        handler = referencedResource(set, props(handler.resource).FunctionName, handler.stackName);
      }
      const functionId = handler && functionOf({ Ref: handler.logicalId }, handler.stackName, key(trigger));
      if (functionId) plan.triggers.push({ id: trigger, functionId });
    });
  }
  for (const schedule of set.ofType('AWS::Scheduler::Schedule')) {
    const p = props(schedule.resource);
    const target = (p.Target ?? {}) as { Arn?: unknown; Input?: unknown };
    addSchedule(schedule, p.ScheduleExpression, target.Arn, target.Input);
  }
  for (const rule of set.ofType('AWS::Events::Rule')) {
    const p = props(rule.resource);
    const targets = (p.Targets ?? []) as { Arn: unknown; Input?: unknown }[];
    if (p.ScheduleExpression) {
      for (const t of targets) addSchedule(rule, p.ScheduleExpression, t.Arn, t.Input);
      continue;
    }
    for (const t of targets) {
      const target = referencedResource(set, t.Arn, rule.stackName);
      if (target?.resource.Type !== 'AWS::SQS::Queue') {
        problems.push(
          `${key(rule)}: event rules must target SQS queues (the emulator cannot deliver to ${target?.resource.Type ?? 'this target'})`,
        );
      }
    }
  }
  return plan;
}
