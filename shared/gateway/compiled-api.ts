import { type ApiDefinition, type ApiRoute, degradeSettings } from './api-definition.ts';
import type { BreakerSettings } from './circuit-breaker/settings.ts';
import { CorsPolicy } from './cors.ts';
import { HeaderFilter } from './headers.ts';
import { IpRules } from './ip-rules.ts';
import { MockResponder } from './mock/mock-responder.ts';
import { RequestValidator } from './request-validation.ts';
import { RouteTable } from './route-table.ts';
import { TransformRules } from './transform/route-transforms.ts';
import { isAsyncTarget, targetOf, type UpstreamTarget } from './upstream-targets.ts';
import type { UpstreamPoolOptions, UpstreamServer } from './upstreams/balancer.ts';

/**
 * Everything the pipeline derives from one API definition — parsed CIDR blocks, the route table,
 * compiled JSON Schemas, the CORS policy, header filters, breaker settings, transform rules — built
 * once per definition object. The registry cache hands out the same object until the definition's revision
 * changes, so a WeakMap keyed by it is the whole cache and an old revision's state is simply dropped.
 */
export interface CompiledApi {
  definition: ApiDefinition;
  ipRules: IpRules;
  cors: CorsPolicy;
  routes: RouteTable<ApiRoute>;
  validator: RequestValidator;
  requestHeaders: HeaderFilter;
  responseHeaders: HeaderFilter;
  /** Stable per definition, so the breaker registry resolves it once. */
  breakerSettings: Partial<BreakerSettings>;
  /** The upstreams by their key (`UpstreamTarget.key`): pools and breakers hold keys, not URLs. */
  servers: UpstreamServer[];
  targets: ReadonlyMap<string, UpstreamTarget>;
  /** Its upstream is a queue or a bus: calls are answered 202 once handed over. */
  asynchronous: boolean;
  poolOptions: UpstreamPoolOptions;
  /** Request and response mappings, each route's compiled on its first call. */
  transforms: TransformRules;
  /** Built on first use: most APIs never serve a mock. */
  mock(): MockResponder;
}

const compiled = new WeakMap<ApiDefinition, CompiledApi>();

/** A probe may take the whole upstream timeout; past it (plus a margin) it counts as failed. */
const PROBE_MARGIN_MS = 1_000;

export function compileApi(api: ApiDefinition): CompiledApi {
  let entry = compiled.get(api);
  if (entry) return entry;
  let mock: MockResponder | undefined;
  const degrade = degradeSettings(api);
  const targets = api.upstreams.map(targetOf);
  entry = {
    definition: api,
    ipRules: new IpRules(api.ipRules),
    cors: new CorsPolicy(api.cors),
    routes: new RouteTable(api.routes ?? []),
    validator: new RequestValidator(api),
    requestHeaders: new HeaderFilter(api.headers?.request),
    responseHeaders: new HeaderFilter(api.headers?.response),
    breakerSettings: {
      ...api.circuitBreaker,
      halfOpenTimeoutMs: api.timeoutMs + PROBE_MARGIN_MS,
      ...(degrade ? { degrade } : {}),
    },
    servers: api.upstreams.map((u, i) => ({
      url: targets[i]!.key,
      weight: 'weight' in u ? (u.weight ?? 1) : 1,
    })),
    targets: new Map(targets.map((t) => [t.key, t])),
    asynchronous: targets.some(isAsyncTarget),
    poolOptions: { strategy: api.loadBalancing ?? 'weighted-round-robin' },
    transforms: new TransformRules(api),
    mock: () => {
      mock ??= new MockResponder(api);
      return mock;
    },
  };
  compiled.set(api, entry);
  return entry;
}
