import { createHash } from 'node:crypto';
import { type CfnElement, type Stack, Token } from 'aws-cdk-lib';
import { type HttpApi, HttpMethod, HttpRoute, HttpRouteKey } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Construct, type IConstruct } from 'constructs';
import { DEFAULT_UPSTREAM_TARGET_PREFIX } from '../../shared/gateway/upstream-targets.ts';
import { acknowledge, cfn } from '../constructs/nag.ts';
import type { PorticoFunction } from '../constructs/portico-function.ts';
import type { DataStack } from '../stacks/data-stack.ts';

/** What every capability is built from: the shared HTTP API and the data stack's resources. */
export interface CapabilityProps {
  /** The platform's one HTTP API; a capability adds its own routes to it. */
  readonly httpApi: HttpApi;
  /** Tables, stream, queues, bus, key and secret. */
  readonly data: DataStack;
}

const CAPABILITY = Symbol.for('portico.Capability');

/**
 * One capability of the platform (identity, console, gateway, …): its functions, their grants, routes,
 * schedules and event sources. A capability only groups: its id is left out of the CloudFormation
 * logical IDs of what it contains (see `logicalIdOutsideCapabilities`), so moving resources into one
 * replaced nothing in a deployed stack.
 */
export abstract class Capability extends Construct {
  static isCapability(x: unknown): x is Capability {
    return typeof x === 'object' && x !== null && CAPABILITY in x;
  }

  /** Every HTTP API route this capability added, in the order of its route tables. */
  readonly routes: HttpRoute[] = [];
  protected readonly httpApi: HttpApi;
  private readonly integrations = new Map<PorticoFunction, HttpLambdaIntegration>();

  constructor(scope: Construct, id: string, props: CapabilityProps) {
    super(scope, id);
    Object.defineProperty(this, CAPABILITY, { value: true });
    this.httpApi = props.httpApi;
  }

  /** The egress allow list (context `egressAllow`) every function that calls out by URL is given. */
  protected get egressAllow(): string {
    return String(this.node.tryGetContext('egressAllow') ?? '');
  }

  /**
   * The prefix (context `upstreamTargetPrefix`) of the Lambda functions, SQS queues and EventBridge
   * buses an API may name as upstreams: the console checks definitions against it, the gateway's IAM
   * policy reaches no other.
   */
  protected get upstreamTargetPrefix(): string {
    return String(this.node.tryGetContext('upstreamTargetPrefix') ?? DEFAULT_UPSTREAM_TARGET_PREFIX);
  }

  /**
   * Routes each key to its function (Lambda proxy, payload 2.0; one integration per function) and
   * acknowledges cdk-nag's APIG4 on each route with `authorization`: how the function authorizes it.
   */
  protected addRoutes(routes: Iterable<readonly [string, PorticoFunction]>, authorization: string): void {
    for (const [key, fn] of routes) {
      let integration = this.integrations.get(fn);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${fn.node.id}Integration`, fn);
        this.integrations.set(fn, integration);
      }
      const route = new HttpRoute(this, `Route${key.replace(/[^A-Za-z0-9]/g, '')}`, {
        httpApi: this.httpApi,
        routeKey: routeKeyOf(key),
        integration,
      });
      this.acknowledgeRoute(route, authorization);
    }
  }

  /** Adds a route made outside `addRoutes` (e.g. by `HttpApi.addRoutes`) to `routes`, with its APIG4 reason. */
  protected acknowledgeRoute(route: HttpRoute, authorization: string): void {
    this.routes.push(route);
    acknowledge(cfn(route), 'APIG4', authorization);
  }
}

/** `GET /a/{b}` → the route key for API Gateway. */
export function routeKeyOf(key: string): HttpRouteKey {
  const match = /^([A-Z]+) (\/\S*)$/.exec(key);
  const method = match && HttpMethod[match[1] as keyof typeof HttpMethod];
  if (!match || !method) throw new Error(`not a route key: ${JSON.stringify(key)}`);
  return HttpRouteKey.with(match[2]!, method);
}

/**
 * The logical ID CDK would give `element` if no capability stood between it and its stack: CDK's own
 * algorithm (aws-cdk-lib core/lib/private/uniqueid.ts, not exported) over the construct path below the
 * stack, capabilities left out. Used by ApiStack.allocateLogicalId.
 */
export function logicalIdOutsideCapabilities(stack: Stack, element: CfnElement): string {
  const scopes = element.node.scopes;
  const below = scopes
    .slice(scopes.indexOf(stack) + 1)
    .filter((s: IConstruct) => !Capability.isCapability(s));
  return makeUniqueId(below.map((s) => s.node.id));
}

/** CDK's makeUniqueId: a human part from the path (without `Resource` and repeats) plus a path hash. */
export function makeUniqueId(path: string[]): string {
  const components = path.filter((c) => c !== 'Default');
  if (components.length === 0)
    throw new Error('Unable to calculate a unique id for an empty set of components');
  const unresolved = components.filter((c) => Token.isUnresolved(c));
  if (unresolved.length > 0)
    throw new Error(`ID components may not include unresolved tokens: ${unresolved.join(',')}`);
  const alphanumeric = (s: string) => s.replace(/[^A-Za-z0-9]/g, '');
  if (components.length === 1) {
    const candidate = alphanumeric(components[0]!);
    if (candidate.length <= 255) return candidate;
  }
  const hash = createHash('md5').update(components.join('/')).digest('hex').slice(0, 8).toUpperCase();
  const human: string[] = [];
  for (const c of components) if (human.length === 0 || !human[human.length - 1]!.endsWith(c)) human.push(c);
  return (
    human
      .filter((c) => c !== 'Resource')
      .map(alphanumeric)
      .join('')
      .slice(0, 240) + hash
  );
}
