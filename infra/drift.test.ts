import type { App, Stack } from 'aws-cdk-lib';
import { HttpMethod, HttpRoute, HttpRouteKey, WebSocketApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration, HttpUrlIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AttributeType, StreamViewType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Code, Function as LambdaFn, Runtime, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Activity } from 'aws-cdk-lib/aws-stepfunctions';
import { describe, expect, it } from 'vitest';
import { planLocal } from '../local/plan.ts';
import { synthStacks } from '../local/synth.ts';
import { STACK_NAMES } from './app.ts';
import { PorticoFunction } from './constructs/portico-function.ts';
import { REPO_ROOT } from './repo-root.ts';
import { type ApiStack, GATEWAY_GROUPS_CONTEXT } from './stacks/api-stack.ts';

/**
 * The drift check: everything the CDK app declares must be created or served by the local runtime.
 * It runs on the synthesized templates, so adding an unsupported resource to infra/ fails here.
 */
describe('local runtime vs CDK app (drift)', () => {
  const api = (app: App) => app.node.findChild(STACK_NAMES.api) as ApiStack;
  const data = (app: App) => app.node.findChild(STACK_NAMES.data) as Stack;

  it('serves every route, event-source mapping and schedule, and provisions every stateful resource', () => {
    const stacks = synthStacks();
    const plan = planLocal(stacks, REPO_ROOT);
    expect(plan.problems).toEqual([]);

    const resources = stacks.flatMap((s) => Object.values(s.template.Resources ?? {}));
    const count = (type: string) => resources.filter((r) => r.Type === type).length;
    const served = [...plan.routes, ...plan.webSocketApis.flatMap((api) => api.routes)];
    expect(served.map((r) => r.routeKey).sort()).toEqual(
      resources
        .filter((r) => r.Type === 'AWS::ApiGatewayV2::Route')
        .map((r) => String(r.Properties?.RouteKey))
        .sort(),
    );
    expect(plan.webSocketApis.map((api) => api.stageNames)).toEqual([['v1']]);
    expect(plan.queueMappings.length + plan.streamMappings.length).toBe(
      count('AWS::Lambda::EventSourceMapping'),
    );
    expect(plan.schedules).toHaveLength(count('AWS::Scheduler::Schedule'));
    expect(plan.triggers).toHaveLength(count('Custom::Trigger'));
    for (const type of [
      'AWS::DynamoDB::Table',
      'AWS::SQS::Queue',
      'AWS::Kinesis::Stream',
      'AWS::Events::Rule',
    ]) {
      expect(plan.provisioned.filter((r) => r.resource.Type === type)).toHaveLength(count(type));
    }
  });

  it("serves a deployment's API groups by their own functions, with their reserved concurrency", () => {
    const plan = planLocal(
      synthStacks(undefined, {
        // As `-c` passes it: a JSON string.
        [GATEWAY_GROUPS_CONTEXT]: JSON.stringify({ payments: { apis: ['pay'], reservedConcurrency: 3 } }),
      }),
      REPO_ROOT,
    );
    expect(plan.problems).toEqual([]);
    const routed = (key: string) => plan.routes.find((r) => r.routeKey === key)?.functionId;
    const group = routed('ANY /apis/pay/{path+}');
    expect(group).toBeDefined();
    expect(group).not.toBe(routed('ANY /apis/{apiName}/{path+}'));
    expect(routed('ANY /apis/pay')).toBe(group);
    expect(plan.functions.get(group!)).toMatchObject({
      entry: 'functions/gateway/handler.ts',
      reservedConcurrency: 3,
    });
    expect(plan.functions.get(routed('ANY /apis/{apiName}/{path+}')!)?.reservedConcurrency).toBeUndefined();
  });

  it.each([
    [
      'a route to a plain HTTP integration',
      (app: App) =>
        new HttpRoute(api(app), 'ExtraHttpRoute', {
          httpApi: api(app).httpApi,
          routeKey: HttpRouteKey.with('/extra', HttpMethod.GET),
          integration: new HttpUrlIntegration('ExtraUrl', 'https://example.com'),
        }),
      /GET \/extra uses a HTTP_PROXY integration/,
    ],
    [
      'a route to a function not built with PorticoFunction',
      (app: App) => {
        const fn = new LambdaFn(api(app), 'PlainFunction', {
          runtime: Runtime.NODEJS_22_X,
          handler: 'index.handler',
          code: Code.fromInline('exports.handler = async () => ({})'),
        });
        new HttpRoute(api(app), 'PlainRoute', {
          httpApi: api(app).httpApi,
          routeKey: HttpRouteKey.with('/plain', HttpMethod.GET),
          integration: new HttpLambdaIntegration('PlainIntegration', fn),
        });
      },
      /PlainFunction.*has no portico:local metadata/,
    ],
    [
      'a WebSocket API whose route selection is not a body field',
      (app: App) =>
        new WebSocketApi(api(app), 'HeaderRoutedSocket', {
          routeSelectionExpression: '$request.header.x-route',
        }),
      /HeaderRoutedSocket.*route selection \$request\.header\.x-route is not understood locally/,
    ],
    [
      'a Step Functions activity',
      (app: App) => new Activity(data(app), 'Work'),
      /AWS::StepFunctions::Activity has no local support/,
    ],
    [
      'a DynamoDB stream event source',
      (app: App) => {
        const table = new Table(api(app), 'StreamTable', {
          partitionKey: { name: 'pk', type: AttributeType.STRING },
          stream: StreamViewType.NEW_IMAGE,
        });
        const fn = new PorticoFunction(api(app), 'StreamConsumer', {
          entry: 'functions/fallback/handler.ts',
          service: 'x',
        });
        fn.addEventSource(new DynamoEventSource(table, { startingPosition: StartingPosition.LATEST }));
      },
      /event source AWS::DynamoDB::Table is not polled locally/,
    ],
    [
      'an event rule that targets a function',
      (app: App) => {
        const fn = new PorticoFunction(api(app), 'RuleTarget', {
          entry: 'functions/fallback/handler.ts',
          service: 'x',
        });
        new Rule(api(app), 'DirectRule', {
          eventBus: EventBus.fromEventBusName(api(app), 'Bus', 'portico'),
          eventPattern: { source: ['biz.x'] },
          targets: [new LambdaFunction(fn)],
        });
      },
      /DirectRule.*must target SQS queues/,
    ],
  ])('reports %s', (_what, addDrift, expected) => {
    const plan = planLocal(synthStacks(addDrift), REPO_ROOT);
    expect(plan.problems.join('\n')).toMatch(expected);
  });
});
