import { type ApiDefinition, type ApiRoute, degradeSettings } from './api-definition.ts';
import type { BreakerSettings } from './circuit-breaker/settings.ts';
import { CorsPolicy } from './cors.ts';
import { HeaderFilter } from './headers.ts';
import { IpRules } from './ip-rules.ts';
import { MockResponder } from './mock/mock-responder.ts';
import { RequestValidator } from './request-validation.ts';
import { RouteTable } from './route-table.ts';
import type { UpstreamPoolOptions, UpstreamServer } from './upstreams/balancer.ts';

/**
 * Everything the pipeline derives from one API definition — parsed CIDR blocks, the route table,
 * compiled JSON Schemas, the CORS policy, header filters, breaker settings — built once per
 * definition object. The registry cache hands out the same object until the definition's revision
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
  servers: UpstreamServer[];
  poolOptions: UpstreamPoolOptions;
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
    servers: api.upstreams.map((u) => ({ url: u.url, weight: u.weight ?? 1 })),
    poolOptions: { strategy: api.loadBalancing ?? 'weighted-round-robin' },
    mock: () => {
      mock ??= new MockResponder(api);
      return mock;
    },
  };
  compiled.set(api, entry);
  return entry;
}
