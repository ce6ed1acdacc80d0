import type { ApiDefinition, ApiRoute } from '../api-definition.ts';
import type { ProxiedRequest } from '../forward.ts';
import type { UpstreamAnswer } from '../ports.ts';
import type { RouteMatch } from '../route-table.ts';
import { compileMapping, type Mapping } from './mapping.ts';
import { type MappingContext, mappingContext } from './mapping-context.ts';
import { mapRequest } from './request-mapping.ts';
import { mapResponse, type ResponseRule } from './response-mapping.ts';
import { effectiveResponseTransform } from './transform-rules.ts';

interface CompiledTransforms {
  request?: Mapping;
  response?: ResponseRule;
}

/**
 * The transform rules of one API definition, each route's compiled on its first call and kept for
 * the definition's life (`compiled-api.ts`). A route without rules costs one map lookup.
 */
export class TransformRules {
  private readonly byRoute = new Map<ApiRoute | undefined, CompiledTransforms | undefined>();

  constructor(private readonly api: Pick<ApiDefinition, 'responseTransform'>) {}

  /** The transforms of one call to `match` (no match: the API's own rule), or undefined when none apply. */
  forCall(match: RouteMatch<ApiRoute> | undefined, request: ProxiedRequest): CallTransforms | undefined {
    const route = match?.route;
    let rules = this.byRoute.get(route);
    if (!rules && !this.byRoute.has(route)) {
      rules = compile(this.api, route);
      this.byRoute.set(route, rules);
    }
    return rules && new CallTransforms(rules, mappingContext(request, match?.params ?? {}));
  }
}

function compile(api: Pick<ApiDefinition, 'responseTransform'>, route: ApiRoute | undefined) {
  const response = effectiveResponseTransform(api.responseTransform, route?.responseTransform);
  const upstreamFormat = response?.upstreamFormat ?? 'json';
  const rules: CompiledTransforms = {
    ...(route?.requestTransform
      ? { request: compileMapping(route.requestTransform.expression, 'request') }
      : {}),
    // A JSON answer with neither mapping nor envelope is relayed as it is.
    ...(response && (response.expression || response.envelope || upstreamFormat !== 'json')
      ? {
          response: {
            ...(response.expression ? { mapping: compileMapping(response.expression, 'response') } : {}),
            upstreamFormat,
            envelope: response.envelope ?? false,
          },
        }
      : {}),
  };
  return rules.request || rules.response ? rules : undefined;
}

/** The transforms of one call: its request before it goes upstream, the upstream's answer after. */
export class CallTransforms {
  constructor(
    private readonly rules: CompiledTransforms,
    private readonly context: MappingContext,
  ) {}

  async request(request: ProxiedRequest): Promise<ProxiedRequest> {
    const mapped = this.rules.request ? await mapRequest(this.rules.request, request, this.context) : request;
    // The answer is going to be read: it must come uncompressed.
    if (!this.rules.response) return mapped;
    return { ...mapped, headers: { ...mapped.headers, 'accept-encoding': 'identity' } };
  }

  response(answer: UpstreamAnswer): Promise<UpstreamAnswer> | UpstreamAnswer {
    return this.rules.response ? mapResponse(this.rules.response, answer, this.context) : answer;
  }
}
