import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { unbundled } from '../app.ts';
import { LOCAL_ENTRY_METADATA } from '../local-metadata.ts';
import { REPO_ROOT } from '../repo-root.ts';
import { DataStack } from '../stacks/data-stack.ts';
import type { Capability, CapabilityProps } from './capability.ts';

// biome-ignore lint/suspicious/noExplicitAny: synthesized CloudFormation JSON
type Json = any;

export interface FixtureProps extends CapabilityProps {
  readonly scheduleFailures: Queue;
}

/**
 * One capability alone in a stack with nothing but the HTTP API and a schedule dead-letter queue, on a
 * real data stack, synthesized without bundling: what the template holds beyond those, the capability
 * created. Resources are named by construct id (`IdentityTable`, not `IdentityTableA085AC59`) and
 * functions by entry module.
 */
export function synthCapability<T extends Capability>(make: (scope: Stack, props: FixtureProps) => T) {
  const app = new App(unbundled());
  const data = new DataStack(app, 'Data');
  const stack = new Stack(app, 'Capability');
  const httpApi = new HttpApi(stack, 'Api');
  const scheduleFailures = new Queue(stack, 'ScheduleDlq');
  const capability = make(stack, { httpApi, data, scheduleFailures });
  const template = Template.fromStack(stack);
  const resources: Record<string, Json> = template.toJSON().Resources;
  const dataOutputs: Record<string, Json> = Template.fromStack(data).toJSON().Outputs ?? {};

  /** `IdentityTableA085AC59` → `IdentityTable`. */
  const nameOf = (logicalId: string) => logicalId.replace(/[0-9A-F]{8}$/, '');
  const imports = new Map<string, string>(
    Object.values(dataOutputs)
      .filter((o) => o.Export)
      .map((o) => [o.Export.Name, nameOf(o.Value['Fn::GetAtt']?.[0] ?? o.Value.Ref)]),
  );
  /** A reference, ARN or condition value as readable text. */
  const render = (value: Json): string => {
    if (typeof value === 'string') return value;
    if (value?.['Fn::ImportValue']) return imports.get(value['Fn::ImportValue']) ?? JSON.stringify(value);
    if (value?.['Fn::Join']) return (value['Fn::Join'][1] as Json[]).map(render).join(value['Fn::Join'][0]);
    if (value?.['Fn::GetAtt']) return nameOf(value['Fn::GetAtt'][0]);
    if (value?.Ref) return value.Ref.startsWith('AWS::') ? `<${value.Ref}>` : nameOf(value.Ref);
    return JSON.stringify(value);
  };

  const providers = new Set(
    Object.values(resources)
      .filter((r) => r.Type.startsWith('Custom::'))
      .map((r) => r.Properties.ServiceToken?.['Fn::GetAtt']?.[0]),
  );
  /** Entry module → logical ID of every Portico function (not CDK's custom-resource providers). */
  const functions: Record<string, string> = Object.fromEntries(
    Object.entries(template.findResources('AWS::Lambda::Function'))
      .filter(([id]) => !providers.has(id))
      .map(([id, f]) => [f.Metadata?.[LOCAL_ENTRY_METADATA]?.entry, id]),
  );
  const entryOf = (logicalId: string) =>
    Object.entries(functions).find(([, id]) => id === logicalId)?.[0] ?? logicalId;

  /** The function an integration URI names: itself (HTTP APIs) or inside its `…/invocations` ARN (WebSocket APIs). */
  const functionOfUri = (uri: Json): string =>
    uri['Fn::GetAtt']?.[0] ??
    (uri['Fn::Join'][1] as Json[]).find((part) => part?.['Fn::GetAtt'])['Fn::GetAtt'][0];
  /** Route key → entry module of the function it proxies to. */
  const routes: Record<string, string> = Object.fromEntries(
    Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((route) => {
      const integration = resources[route.Properties.Target['Fn::Join'][1][1].Ref].Properties;
      return [route.Properties.RouteKey, entryOf(functionOfUri(integration.IntegrationUri))];
    }),
  );

  const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule')).map((s) => ({
    expression: s.Properties.ScheduleExpression as string,
    target: entryOf(s.Properties.Target.Arn['Fn::GetAtt'][0]),
    retryPolicy: s.Properties.Target.RetryPolicy as Json,
    deadLetterQueue: render(s.Properties.Target.DeadLetterConfig?.Arn),
  }));

  const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')).map((m) => ({
    ...m.Properties,
    FunctionName: entryOf(m.Properties.FunctionName.Ref),
    EventSourceArn: render(m.Properties.EventSourceArn),
    OnFailure: m.Properties.DestinationConfig && render(m.Properties.DestinationConfig.OnFailure.Destination),
  }));

  /** The allowed statements of one function's role: actions, resources and (LeadingKeys) conditions. */
  const statements = (entry: string) => {
    const fn = resources[functions[entry]!];
    const role = fn.Properties.Role['Fn::GetAtt'][0];
    return Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => p.Properties.Roles.some((r: Json) => r.Ref === role))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Json[])
      .filter((s) => s.Effect === 'Allow')
      .map((s) => ({
        actions: [s.Action].flat() as string[],
        resources: [s.Resource].flat().map(render),
        condition: (s.Condition ?? {}) as Record<string, Record<string, Json>>,
      }));
  };
  /** What a function's role reaches, beyond X-Ray (Resource "*"): resource names, sorted. */
  const reaches = (entry: string) =>
    [...new Set(statements(entry).flatMap((s) => s.resources))].filter((r) => r !== '*').sort();
  /** Whether a function may run `action` on the named resource, whatever the conditions. */
  const mayRun = (entry: string, action: string, resource: string) =>
    statements(entry).some((s) => s.actions.includes(action) && s.resources.includes(resource));

  return {
    app,
    stack,
    data,
    capability,
    template,
    resources,
    functions,
    routes,
    schedules,
    mappings,
    statements,
    reaches,
    mayRun,
    render,
  };
}

/** Route keys a handler module spells out (`case 'GET /openapi.json':`), i.e. the routes it expects. */
export function routeKeysInSource(entry: string): string[] {
  const source = readFileSync(path.join(REPO_ROOT, entry), 'utf8');
  return [...source.matchAll(/'((?:ANY|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) \/[^'\s]*)'/g)].map(
    (m) => m[1]!,
  );
}
