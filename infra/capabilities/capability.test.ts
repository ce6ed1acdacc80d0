import { App, type CfnElement, CfnResource, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { buildUnbundledPortico, STACK_NAMES } from '../app.ts';
import type { ApiStack } from '../stacks/api-stack.ts';
import { DataStack } from '../stacks/data-stack.ts';
import { Capability, logicalIdOutsideCapabilities, makeUniqueId, routeKeyOf } from './capability.ts';

class Group extends Capability {}

/** A stack that leaves capabilities out of logical IDs, as ApiStack does. */
class CapabilityStack extends Stack {
  protected override allocateLogicalId(element: CfnElement): string {
    return logicalIdOutsideCapabilities(this, element);
  }
}

/** Nested plain constructs along `path`, ending in a CloudFormation resource. */
function resourceAt(scope: Construct, path: string[]): CfnResource {
  let parent = scope;
  for (const id of path.slice(0, -1))
    parent = (parent.node.tryFindChild(id) as Construct) ?? new Construct(parent, id);
  return new CfnResource(parent, path.at(-1)!, { type: 'Test::Thing' });
}

const PATHS = [
  ['Thing'],
  ['Thing', 'Resource'],
  ['Route-GET /a/{b}', 'Integration', 'Resource'],
  ['Fn', 'ServiceRole', 'DefaultPolicy', 'Resource'],
  ['Queue', 'Default'],
  ['Foo', 'Foo', 'Resource'],
  ['BarFoo', 'Foo'],
  ['x'.repeat(300)],
  ['Long'.repeat(70), 'Child'],
];

describe('logical IDs of resources inside a capability', () => {
  it.each(PATHS.map((p) => [p.join('/').slice(0, 60), p]))(
    'makeUniqueId gives CDK’s own logical ID for %s',
    (_name, path) => {
      const stack = new Stack(new App(), 'Plain');
      const element = resourceAt(stack, path);
      // Construct ids as the tree keeps them (a `/` in an id becomes `--`).
      const ids = element.node.scopes.slice(2).map((s) => s.node.id);
      expect(makeUniqueId(ids)).toBe(stack.getLogicalId(element));
    },
  );

  it.each(PATHS.map((p) => [p.join('/').slice(0, 60), p]))(
    'are the IDs the resources would have directly in the stack: %s',
    (_name, path) => {
      const app = new App();
      const plain = new Stack(app, 'Plain');
      const grouped = new CapabilityStack(app, 'Grouped');
      const httpApi = new HttpApi(grouped, 'Api');
      const data = new DataStack(app, 'Data');
      const inner = new Group(new Group(grouped, 'Outer', { httpApi, data }), 'Inner', { httpApi, data });
      expect(grouped.getLogicalId(resourceAt(inner, path))).toBe(plain.getLogicalId(resourceAt(plain, path)));
    },
  );

  it('fails synthesis when two capabilities hold resources with the same id', () => {
    const app = new App();
    const stack = new CapabilityStack(app, 'Grouped');
    const props = { httpApi: new HttpApi(stack, 'Api'), data: new DataStack(app, 'Data') };
    resourceAt(new Group(stack, 'One', props), ['Thing']);
    resourceAt(new Group(stack, 'Two', props), ['Thing']);
    expect(() => Template.fromStack(stack)).toThrow(/already contains 'Thing'/);
  });

  it('keeps the logical IDs the API stack had before it was split into capabilities', () => {
    const app = buildUnbundledPortico();
    const api = app.node.findChild(STACK_NAMES.api) as ApiStack;
    const ids = Object.keys(Template.fromStack(api).toJSON().Resources);
    // Those whose replacement would hurt: routes and integrations (a new route with the same key
    // conflicts with the old one), functions and their event-source mappings, schedules, the trigger
    // (it would run again), the schedule dead-letter queue and the log groups.
    expect(ids).toEqual(expect.arrayContaining(BEFORE_THE_SPLIT));
  });
});

describe('routeKeyOf', () => {
  it('reads a route key into method and path', () => {
    expect(routeKeyOf('GET /console/v1/apps/{appId}')).toMatchObject({
      key: 'GET /console/v1/apps/{appId}',
      method: 'GET',
      path: '/console/v1/apps/{appId}',
    });
    expect(routeKeyOf('ANY /{proxy+}').key).toBe('ANY /{proxy+}');
  });

  it.each(['get /a', 'FETCH /a', 'GET a', 'GET /a b', '$default'])('refuses %j', (key) => {
    expect(() => routeKeyOf(key)).toThrow(/not a route key/);
  });
});

// Less the reserved `ANY /v1/{proxy+}` route and its integration, removed on purpose once every
// designed `/v1` path was served.
const BEFORE_THE_SPLIT = `
  PorticoHttpApiD4FCA20E PorticoHttpApiDefaultStage19582BA4
  PorticoHttpApiANYproxyCCD46D8F RouteANYapisapiName62F532F3 RouteANYapisapiNamepath3E7D72FE
  RouteDELETEconsolev1apisapiName220CEFBD RouteDELETEconsolev1appsappId1CAE9191
  RouteDELETEconsolev1appsappIdcredentialsclientId72B283EF RouteDELETEconsolev1appsappIdtokensjti2271B947
  RouteDELETEconsolev1developersdeveloperId55F84040 RouteGETconsolev1apisD5D68012 RouteGETconsolev1apisapiNameEEBF55F8
  RouteGETconsolev1appsF301856B RouteGETconsolev1appsappId03521EE8 RouteGETconsolev1appsappIdcredentials9D2B50AE
  RouteGETconsolev1appsappIdtokensC405D21B RouteGETconsolev1auditB3A124BD RouteGETconsolev1developers3C3CD5AE
  RouteGETconsolev1developersdeveloperId44704966 RouteGEThealthv1partnerspartnerId7ADCEAB3
  RouteGEToauth2authorizeEA6DAF30 RouteGETopenapijson37FE0221 RouteGETwellknownjwksjsonF30C6BE6
  RouteGETwellknownoauthauthorizationserverC281B5FC RoutePATCHconsolev1appsappId9B47B4C1
  RoutePATCHconsolev1developersdeveloperIdF81FDDD6 RoutePOSTconsolev1apps282AB0C5
  RoutePOSTconsolev1appsappIdcredentialsA64D884A RoutePOSTconsolev1appsappIdcredentialsclientIdrotate17CAFD7B
  RoutePOSTconsolev1appsappIdtokensrevoke80E173BA RoutePOSTconsolev1developers3EBFB678 RoutePOSToauth2authorize5589F62E
  RoutePOSToauth2introspect3C80EE71 RoutePOSToauth2revoke5FF4CFD3 RoutePOSToauth2token2E17D7B6
  RoutePUTconsolev1apisapiName225FE199
  PorticoHttpApiANYproxyDefaultIntegration6C9E0FF2 RouteANYapisapiNameGatewayFunctionIntegrationF600C8EA
  RouteGETconsolev1developersConsoleFunctionIntegration74A9CCD2
  RouteGEToauth2authorizeOAuthAuthorizeFunctionIntegrationD095DC69
  RouteGETwellknownjwksjsonDiscoveryFunctionIntegrationD1EEF65E
  RoutePOSToauth2introspectOAuthTokenManagementFunctionIntegration91F125F2
  RoutePOSToauth2tokenOAuthTokenFunctionIntegrationFC7D7A74
  AWSCDKTriggerCustomResourceProviderCustomResourceProviderHandler97BECD91 AnalyticsAggregateFunction3F409B8D
  ConsoleFunction089DCE23 DiscoveryFunctionC503C428 FallbackFunction8B4590CB GatewayFunctionA7138035
  GatewayHealthCheckFunctionE68952FA KeyRotationFunction1AE82FC7 MessageIngestFunction94797532
  OAuthAuthorizeFunctionC3764C5B OAuthTokenFunction3640A9F2 OAuthTokenManagementFunctionAB5C551D
  AnalyticsAggregateFunctionKinesisEventSourcePorticoDataAnalyticsStream919CE0B07E5E9824
  MessageIngestFunctionSqsEventSourcePorticoDataMessageIngestQueue72DB991E5C1E2A80
  GatewayHealthCheckSchedule66051F9E KeyRotationScheduleE2A5FD1C SigningKeysBootstrap ScheduleDlqBC80447A
  AnalyticsAggregateFunctionLogs84475A4C ConsoleFunctionLogs9031E6A5 DiscoveryFunctionLogs127847E0
  FallbackFunctionLogs0C5BFD86 GatewayFunctionLogsFB54B42F GatewayHealthCheckFunctionLogs096B0853
  KeyRotationFunctionLogs24582D85 MessageIngestFunctionLogsF0348AF7 OAuthAuthorizeFunctionLogs09667C86
  OAuthTokenFunctionLogsE86AC66A OAuthTokenManagementFunctionLogs88DA8AFA
`
  .trim()
  .split(/\s+/);
