import type { ApiDefinition, ApiRoute, HttpMethod } from '../gateway/api-definition.ts';
import { type RouteParameter, templateParameters } from '../gateway/route-parameters.ts';
import type { RateLimitPolicy } from '../kernel/rate-limit-policy.ts';

/** Where the documented API is reached, and where its callers get tokens. */
export interface DocumentOrigin {
  /** The platform's public base URL, e.g. `https://api.example.com` (no trailing slash). */
  baseUrl: string;
}

type Json = Record<string, unknown>;

/**
 * A route's schema keeps its shared parts in its own `$defs` (`#/$defs/Pet`), but inside an OpenAPI
 * document `#` is the document: they move to `components/schemas`, renamed on a clash with a
 * different schema of the same name, and every reference follows them.
 */
class SharedSchemas {
  readonly schemas: Record<string, Json>;
  /** Each lifted schema as it came, refs unrewritten, to tell the same bundle from another. */
  private readonly raw = new Map<string, string>();

  /** `reserved`: the document's own schemas, which no route's schema may take the name of. */
  constructor(reserved: Record<string, Json>) {
    this.schemas = { ...reserved };
    for (const name of Object.keys(reserved)) this.raw.set(name, '\0reserved');
  }

  lift(schema: Json | undefined): Json | undefined {
    if (!schema || typeof schema.$defs !== 'object' || schema.$defs === null) return schema;
    const { $defs, ...rest } = schema as { $defs: Record<string, Json> } & Json;
    const names = this.namesFor($defs);
    const rewrite = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(rewrite);
      if (value === null || typeof value !== 'object') return value;
      return Object.fromEntries(
        Object.entries(value).map(([key, inner]) => {
          if (key !== '$ref' || typeof inner !== 'string') return [key, rewrite(inner)];
          const match = /^#\/\$defs\/([^/]+)(.*)$/.exec(inner);
          const target = match && names.get(decodeURIComponent(match[1]!));
          return [key, target ? `#/components/schemas/${target}${match![2]}` : inner];
        }),
      );
    };
    for (const [name, definition] of Object.entries($defs)) {
      const target = names.get(name)!;
      this.raw.set(target, JSON.stringify(definition));
      this.schemas[target] = rewrite(definition) as Json;
    }
    return rewrite(rest) as Json;
  }

  /**
   * The same names when every one of the bundle's schemas is already there as it is (routes of one
   * import share their bundle); otherwise names no other bundle uses, all with one suffix, so that
   * the bundle's references to each other stay within it.
   */
  private namesFor($defs: Record<string, Json>): Map<string, string> {
    const safe = (name: string) => name.replace(/[^A-Za-z0-9._-]/g, '_') || 'Schema';
    for (let n = 1; ; n++) {
      const names = new Map(Object.keys($defs).map((name) => [name, `${safe(name)}${n === 1 ? '' : n}`]));
      const fits = [...names].every(([name, target]) => {
        const known = this.raw.get(target);
        return known === undefined || known === JSON.stringify($defs[name]);
      });
      if (fits) return names;
    }
  }
}

/** What an `ANY` route is documented as: OpenAPI has no "any method". */
const ANY_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const PROBLEM_REF = { $ref: '#/components/schemas/Problem' };
/** RFC 9457 problem details, as the platform answers its own errors. */
const PROBLEM_SCHEMA: Json = {
  type: 'object',
  description: 'RFC 9457 problem details.',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string', description: '`urn:portico:problem:<code>`' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string', description: 'The request id.' },
  },
};
const TOKEN_SCHEME = 'oauth2';
const SIGNATURE_SCHEME = 'signedRequest';

const RATE_LIMIT_DIMENSIONS: Record<keyof NonNullable<ApiDefinition['rateLimits']>, string> = {
  app: 'per app, across all its APIs',
  api: 'for this API, all callers together',
  appApi: 'per app on this API',
  ip: 'per source address',
};

/** `{key+}` (a greedy parameter of the gateway's routes) is `{key}` in OpenAPI. */
const openApiPath = (path: string) => path.replace(/\{([^}+]+)\+\}/g, '{$1}');

function describePolicy(policy: RateLimitPolicy, dimension: string): string {
  const burst = policy.burst ?? policy.limit;
  return `${policy.limit} calls per ${policy.windowSeconds} s ${dimension} (bursts of up to ${burst})`;
}

function lifecycleNote(api: ApiDefinition): string | undefined {
  const lifecycle = api.lifecycle;
  if (lifecycle?.status !== 'deprecated') return undefined;
  const sunset = lifecycle.sunsetAt ? ` It stops being served at ${lifecycle.sunsetAt}.` : '';
  const link = lifecycle.link ? ` See ${lifecycle.link}.` : '';
  return `**Deprecated** since ${lifecycle.deprecatedAt ?? 'recently'}: answers carry \`Deprecation\` and \`Sunset\` headers.${sunset}${link}`;
}

function infoDescription(api: ApiDefinition): string {
  const parts = [api.description ?? `The ${api.name} API, served through the platform's gateway.`];
  const note = lifecycleNote(api);
  if (note) parts.push(note);
  const limits = Object.entries(api.rateLimits ?? {})
    .filter(([, policy]) => policy !== undefined)
    .map(
      ([dimension, policy]) =>
        `- ${describePolicy(policy as RateLimitPolicy, RATE_LIMIT_DIMENSIONS[dimension as keyof typeof RATE_LIMIT_DIMENSIONS])}`,
    );
  if (limits.length > 0)
    parts.push(
      `Rate limits (token buckets; a call over one is answered \`429\` with \`Retry-After\`, and every answer carries \`RateLimit-Policy\` and \`RateLimit\`):\n\n${limits.join('\n')}`,
    );
  parts.push(
    'Errors the platform itself answers are RFC 9457 problem details (`application/problem+json`); any other answer comes from the API.',
  );
  return parts.join('\n\n');
}

function parameterObject(parameter: RouteParameter, shared: SharedSchemas): Json {
  return {
    name: parameter.name,
    in: parameter.in,
    required: parameter.in === 'path' ? true : (parameter.required ?? false),
    schema: shared.lift(parameter.schema) ?? { type: 'string' },
    ...(parameter.description ? { description: parameter.description } : {}),
    ...(parameter.example !== undefined ? { example: parameter.example } : {}),
  };
}

function parametersOf(route: ApiRoute, path: string, shared: SharedSchemas): Json[] {
  const declared = (route.parameters ?? []).map((parameter) => parameterObject(parameter, shared));
  const named = new Set((route.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name));
  // A path parameter the route does not describe is still a required string segment.
  const implicit = templateParameters(path)
    .filter((name) => !named.has(name))
    .map((name) => ({
      name,
      in: 'path',
      required: true,
      schema: { type: 'string' },
      ...(path.includes(`{${name}+}`) ? { description: 'One or more path segments.' } : {}),
    }));
  return [...declared, ...implicit];
}

const named = (examples: Record<string, unknown> | undefined) =>
  examples && Object.keys(examples).length > 0
    ? { examples: Object.fromEntries(Object.entries(examples).map(([name, value]) => [name, { value }])) }
    : {};

function successSchema(api: ApiDefinition, route: ApiRoute, shared: SharedSchemas): Json | undefined {
  const transform = route.responseTransform ?? api.responseTransform;
  const data = shared.lift(route.responseSchema);
  if (!transform?.envelope) return data;
  return {
    type: 'object',
    required: ['code', 'msg', 'data', 'requestId'],
    properties: {
      code: { type: 'integer', description: '0, or the status from 400 on.' },
      msg: { type: 'string' },
      data: data ?? {},
      requestId: { type: 'string' },
    },
  };
}

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: PROBLEM_REF } },
});

function responsesOf(api: ApiDefinition, route: ApiRoute, shared: SharedSchemas): Json {
  const schema = successSchema(api, route, shared);
  const success: Json = {
    description: route.summary ? `${route.summary}: the API's answer.` : "The API's answer.",
  };
  if (schema || route.examples?.response) {
    success.content = {
      'application/json': { ...(schema ? { schema } : {}), ...named(route.examples?.response) },
    };
  }
  const validates = Boolean(route.requestSchema || route.parameters?.length);
  return {
    '200': success,
    ...(validates ? { '400': problem('The request breaks the route’s parameters or body schema.') } : {}),
    '401': problem('No valid credentials.'),
    '403': problem('The app lacks a required scope, or the API does not take this way of authenticating.'),
    '429': {
      ...problem('A rate limit is exhausted.'),
      headers: { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } } },
    },
    '502': problem('The API could not be reached, or its answer could not be mapped.'),
    '503': problem(
      'The API is unavailable for now (circuit open, partner down or too many calls in flight).',
    ),
    '504': problem('The API did not answer in time.'),
  };
}

/** `getOrdersOrderId` for `GET /orders/{orderId}`: stable, and unique within the document. */
function operationIdOf(method: string, path: string, taken: Set<string>): string {
  const words = path
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1));
  const base = `${method}${words.join('') || 'Root'}`;
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}${n}`;
  taken.add(id);
  return id;
}

function securityOf(api: ApiDefinition, route: ApiRoute): Json[] {
  const scopes = [...new Set([...api.requiredScopes, ...(route.requiredScopes ?? [])])];
  return api.authModes.map((mode) =>
    mode === 'token' ? { [TOKEN_SCHEME]: scopes } : { [SIGNATURE_SCHEME]: [] },
  );
}

function operationOf(
  api: ApiDefinition,
  route: ApiRoute,
  method: string,
  path: string,
  taken: Set<string>,
  shared: SharedSchemas,
) {
  const parameters = parametersOf(route, route.path, shared);
  const operation: Json = {
    operationId: operationIdOf(method, path, taken),
    summary: route.summary ?? `${method.toUpperCase()} ${path}`,
    ...(route.description ? { description: route.description } : {}),
    ...(parameters.length ? { parameters } : {}),
    security: securityOf(api, route),
    responses: responsesOf(api, route, shared),
  };
  if (route.requestSchema && method !== 'get' && method !== 'delete') {
    operation.requestBody = {
      required: route.requestBodyRequired ?? true,
      content: {
        'application/json': { schema: shared.lift(route.requestSchema), ...named(route.examples?.request) },
      },
    };
  }
  if (api.lifecycle?.status === 'deprecated') operation.deprecated = true;
  return operation;
}

/** An API without routes passes any path and method through to its upstream. */
const PASS_THROUGH: ApiRoute = {
  method: 'ANY',
  path: '/{path+}',
  summary: 'Any call below the API',
  description: 'This API declares no routes: every path and method is passed to it.',
};

function scopesOf(api: ApiDefinition): Record<string, string> {
  const scopes = new Set([
    ...api.requiredScopes,
    ...(api.routes ?? []).flatMap((r) => r.requiredScopes ?? []),
  ]);
  return Object.fromEntries(
    [...scopes].sort().map((scope) => [scope, `Granted to apps approved for ${scope}.`]),
  );
}

/**
 * The OpenAPI 3.1 document of a registered API as its callers see it: its routes below
 * `/apis/{name}`, their parameters, schemas and examples, how to authenticate, the scopes, the rate
 * limits and the errors the platform answers. Nothing of how the API is served (upstreams,
 * transforms, mock rules, IP rules, keys) is in it.
 */
export function apiDocument(api: ApiDefinition, origin: DocumentOrigin): Json {
  const taken = new Set<string>();
  const shared = new SharedSchemas({ Problem: PROBLEM_SCHEMA });
  const paths: Record<string, Json> = {};
  const routes = api.routes?.length ? api.routes : [PASS_THROUGH];
  for (const route of routes) {
    const path = openApiPath(route.path === '' ? '/' : route.path);
    paths[path] ??= {};
    const item = paths[path];
    const methods =
      route.method === 'ANY' ? ANY_METHODS : [route.method.toLowerCase() as Lowercase<HttpMethod>];
    for (const method of methods) {
      // The gateway takes the first route that matches: a later one for the same method is never used.
      if (item[method] === undefined) item[method] = operationOf(api, route, method, path, taken, shared);
    }
  }
  const securitySchemes: Json = {};
  if (api.authModes.includes('token')) {
    securitySchemes[TOKEN_SCHEME] = {
      type: 'oauth2',
      description: 'An access token from the platform, sent as `Authorization: Bearer <token>`.',
      flows: { clientCredentials: { tokenUrl: `${origin.baseUrl}/oauth2/token`, scopes: scopesOf(api) } },
    };
  }
  if (api.authModes.includes('signature')) {
    securitySchemes[SIGNATURE_SCHEME] = {
      type: 'apiKey',
      in: 'header',
      name: 'Authorization',
      description:
        'Each request signed with the app secret: `Authorization: Portico-HMAC-SHA256 key="<client id>", ts="<unix seconds>", nonce="<nonce>", sig="<signature>"` (see the platform’s OpenAPI document, `signedRequest`).',
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: api.name,
      version: api.version,
      description: infoDescription(api),
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [{ url: `${origin.baseUrl}/apis/${api.name}` }],
    paths,
    components: {
      securitySchemes,
      schemas: shared.schemas,
    },
  };
}
