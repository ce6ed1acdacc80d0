import type { Ajv } from 'ajv';
import { REDACT_PATH_PATTERN } from '../analytics/redaction.ts';
import { MAX_LOGGED_BODY_BYTES } from '../analytics/request-log.ts';
import { newAjv } from '../kernel/ajv.ts';
import { DomainError } from '../kernel/errors.ts';
import { type RateLimitPolicy, rateLimitPolicySchema } from '../kernel/rate-limit-policy.ts';
import { scopeListSchema } from '../kernel/scopes.ts';
import { bodyValidator, type Violation } from '../kernel/validation.ts';
import { type DegradeResponse, resolveBreakerSettings } from './circuit-breaker/settings.ts';
import { type ApiLifecycle, LIFECYCLE_STATES } from './lifecycle.ts';
import {
  MAX_ROUTE_PARAMETERS,
  parameterViolations,
  type RouteParameter,
  routeParameterSchema,
} from './route-parameters.ts';
import {
  type RequestTransform,
  type ResponseTransform,
  requestTransformSchema,
  responseTransformSchema,
} from './transform/transform-rules.ts';
import { transformViolations } from './transform/transform-violations.ts';
import { type Upstream, upstreamSchema, upstreamViolations } from './upstream-targets.ts';

/**
 * A registered API: everything the gateway pipeline needs to serve it. Definitions are validated on
 * write (`validateApiDefinition`) and stored with a `revision` that grows with every change, so warm
 * gateway caches can tell an old definition from a new one.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

export interface ApiRoute {
  method: HttpMethod | 'ANY';
  /** A path template below the API, e.g. `/orders/{orderId}`. */
  path: string;
  summary?: string;
  description?: string;
  /** Query, header and path parameters the gateway checks (route-parameters.ts). */
  parameters?: RouteParameter[];
  requestSchema?: Record<string, unknown>;
  /** Whether a route with a `requestSchema` refuses a request without a body (default true). */
  requestBodyRequired?: boolean;
  responseSchema?: Record<string, unknown>;
  /** Named examples of the request body and of the success response body, for documentation. */
  examples?: { request?: Record<string, unknown>; response?: Record<string, unknown> };
  requiredScopes?: string[];
  /** JSONata mapping of the caller's JSON body before it goes upstream (transform/). */
  requestTransform?: RequestTransform;
  /** How the upstream's answer is read, mapped and wrapped; overrides the API's `responseTransform`. */
  responseTransform?: ResponseTransform;
}

export interface MockRule {
  method: HttpMethod | 'ANY';
  path: string;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface ApiDefinition {
  name: string;
  /** The version of the API's contract, as its owners name it (e.g. `1`, `2024-06`). */
  version: string;
  description?: string;
  /** HTTP servers, Lambda functions, or one queue or bus (upstream-targets.ts). */
  upstreams: Upstream[];
  /** How calls are spread over `upstreams`. Default weighted round-robin. */
  loadBalancing?: 'weighted-round-robin' | 'least-in-flight';
  /** Sandbox credentials are always routed here (or to the mock when absent). */
  sandboxUpstream?: { url: string };
  timeoutMs: number;
  authModes: ('token' | 'signature')[];
  /** Scopes a caller must hold for every route; routes may add their own. */
  requiredScopes: string[];
  routes?: ApiRoute[];
  rateLimits?: {
    app?: RateLimitPolicy;
    api?: RateLimitPolicy;
    appApi?: RateLimitPolicy;
    ip?: RateLimitPolicy;
  };
  circuitBreaker?: {
    failureRateThreshold?: number;
    slowCallDurationMs?: number;
    slowCallRateThreshold?: number;
    minimumCalls?: number;
    consecutiveFailures?: number;
    openBaseMs?: number;
    openMaxMs?: number;
    halfOpenProbes?: number;
  };
  bulkheadGroup?: string;
  degradeResponse?: { status: number; headers?: Record<string, string>; body?: unknown };
  mock?: { enabled: boolean; rules?: MockRule[] };
  cors?: {
    allowOrigins: string[];
    allowMethods?: string[];
    allowHeaders?: string[];
    exposeHeaders?: string[];
    maxAgeSeconds?: number;
    allowCredentials?: boolean;
  };
  headers?: {
    request?: { allow?: string[]; deny?: string[] };
    response?: { allow?: string[]; deny?: string[] };
  };
  ipRules?: { allow?: string[]; deny?: string[] };
  /** The supplier behind the API, for partner health. */
  partnerId?: string;
  /**
   * The Portico app of the team that runs the API's servers: its subscriptions to
   * `portico.upstream-alerts` hear when a server of this API is ejected or its breaker opens.
   */
  providerApp?: string;
  /** What the request log keeps of bodies (default 4 KB of each, secrets redacted). */
  requestLog?: { maxBodyBytes?: number; redact?: string[] };
  /** Draft, published (the default), deprecated or retired (lifecycle.ts). */
  lifecycle?: ApiLifecycle;
  /** The response transform of every route (a route's own members win): XML upstreams, the envelope. */
  responseTransform?: ResponseTransform;
}

export interface StoredApiDefinition extends ApiDefinition {
  revision: number;
  updatedAt: string;
}

export const API_NAME_PATTERN = '^[a-z][a-z0-9-]{0,62}$';
const PATH_TEMPLATE = "^(/([A-Za-z0-9._~!$&'()*+,;=:@-]+|\\{[A-Za-z_][A-Za-z0-9_]*\\+?\\}))*/?$";
const HEADER_NAME = "^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$";
const CIDR =
  '^((25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}(/(3[0-2]|[12]?\\d))?|[0-9A-Fa-f:]{2,39}(/(12[0-8]|1[01]\\d|[1-9]?\\d))?)$';
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
const url = { type: 'string', format: 'uri', pattern: '^https?://', maxLength: 2000 } as const;
const headerList = {
  type: 'array',
  items: { type: 'string', pattern: HEADER_NAME },
  maxItems: 100,
  uniqueItems: true,
} as const;
const headerMap = {
  type: 'object',
  propertyNames: { pattern: HEADER_NAME },
  additionalProperties: { type: 'string', maxLength: 4096 },
  maxProperties: 50,
} as const;
const scopes = scopeListSchema(50);
/** A JSON Schema the gateway will compile: any object here; it is compiled (and so checked) on write. */
const jsonSchema = { type: 'object', maxProperties: 200 } as const;
const namedExamples = { type: 'object', maxProperties: 20 } as const;
const filter = {
  type: 'object',
  properties: { allow: headerList, deny: headerList },
  additionalProperties: false,
} as const;

export const apiDefinitionSchema = {
  type: 'object',
  properties: {
    name: { type: 'string', pattern: API_NAME_PATTERN },
    version: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$' },
    description: { type: 'string', maxLength: 2000 },
    upstreams: {
      type: 'array',
      minItems: 1,
      maxItems: 16,
      items: upstreamSchema(url),
    },
    loadBalancing: { enum: ['weighted-round-robin', 'least-in-flight'] },
    sandboxUpstream: { type: 'object', properties: { url }, required: ['url'], additionalProperties: false },
    timeoutMs: { type: 'integer', minimum: 1, maximum: 28_000 },
    authModes: { type: 'array', items: { enum: ['token', 'signature'] }, minItems: 1, uniqueItems: true },
    requiredScopes: scopes,
    routes: {
      type: 'array',
      maxItems: 200,
      items: {
        type: 'object',
        properties: {
          method: { enum: [...METHODS, 'ANY'] },
          path: { type: 'string', pattern: PATH_TEMPLATE, maxLength: 512 },
          summary: { type: 'string', maxLength: 500 },
          description: { type: 'string', maxLength: 4000 },
          parameters: { type: 'array', maxItems: MAX_ROUTE_PARAMETERS, items: routeParameterSchema },
          requestSchema: jsonSchema,
          requestBodyRequired: { type: 'boolean' },
          responseSchema: jsonSchema,
          examples: {
            type: 'object',
            properties: { request: namedExamples, response: namedExamples },
            additionalProperties: false,
          },
          requiredScopes: scopes,
          requestTransform: requestTransformSchema,
          responseTransform: responseTransformSchema,
        },
        required: ['method', 'path'],
        additionalProperties: false,
      },
    },
    rateLimits: {
      type: 'object',
      properties: {
        app: rateLimitPolicySchema,
        api: rateLimitPolicySchema,
        appApi: rateLimitPolicySchema,
        ip: rateLimitPolicySchema,
      },
      additionalProperties: false,
    },
    circuitBreaker: {
      type: 'object',
      properties: {
        failureRateThreshold: { type: 'number', exclusiveMinimum: 0, maximum: 100 },
        slowCallDurationMs: { type: 'integer', minimum: 1, maximum: 28_000 },
        slowCallRateThreshold: { type: 'number', exclusiveMinimum: 0, maximum: 100 },
        minimumCalls: { type: 'integer', minimum: 1, maximum: 10_000 },
        consecutiveFailures: { type: 'integer', minimum: 1, maximum: 1_000 },
        openBaseMs: { type: 'integer', minimum: 100, maximum: 600_000 },
        openMaxMs: { type: 'integer', minimum: 100, maximum: 3_600_000 },
        halfOpenProbes: { type: 'integer', minimum: 1, maximum: 100 },
      },
      additionalProperties: false,
    },
    bulkheadGroup: { type: 'string', pattern: API_NAME_PATTERN },
    degradeResponse: {
      type: 'object',
      properties: { status: { type: 'integer', minimum: 200, maximum: 599 }, headers: headerMap, body: {} },
      required: ['status'],
      additionalProperties: false,
    },
    mock: {
      type: 'object',
      properties: {
        enabled: { type: 'boolean' },
        rules: {
          type: 'array',
          maxItems: 100,
          items: {
            type: 'object',
            properties: {
              method: { enum: [...METHODS, 'ANY'] },
              path: { type: 'string', pattern: PATH_TEMPLATE, maxLength: 512 },
              status: { type: 'integer', minimum: 100, maximum: 599 },
              headers: headerMap,
              body: {},
            },
            required: ['method', 'path', 'status'],
            additionalProperties: false,
          },
        },
      },
      required: ['enabled'],
      additionalProperties: false,
    },
    cors: {
      type: 'object',
      properties: {
        allowOrigins: {
          type: 'array',
          minItems: 1,
          maxItems: 50,
          items: { type: 'string', pattern: '^(\\*|https?://[^/\\s]+)$' },
          uniqueItems: true,
        },
        allowMethods: { type: 'array', items: { enum: METHODS }, uniqueItems: true },
        allowHeaders: headerList,
        exposeHeaders: headerList,
        maxAgeSeconds: { type: 'integer', minimum: 0, maximum: 86_400 },
        allowCredentials: { type: 'boolean' },
      },
      required: ['allowOrigins'],
      additionalProperties: false,
    },
    headers: {
      type: 'object',
      properties: { request: filter, response: filter },
      additionalProperties: false,
    },
    ipRules: {
      type: 'object',
      properties: {
        allow: { type: 'array', items: { type: 'string', pattern: CIDR }, maxItems: 200, uniqueItems: true },
        deny: { type: 'array', items: { type: 'string', pattern: CIDR }, maxItems: 200, uniqueItems: true },
      },
      additionalProperties: false,
    },
    partnerId: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' },
    providerApp: { type: 'string', pattern: '^app_[A-Za-z0-9_-]{1,64}$' },
    lifecycle: {
      type: 'object',
      properties: {
        status: { enum: [...LIFECYCLE_STATES] },
        sunsetAt: { type: 'string', format: 'date-time' },
        link: url,
        // Stamped by the platform; accepted back from a read, then ignored.
        deprecatedAt: { type: 'string', format: 'date-time' },
        retiredAt: { type: 'string', format: 'date-time' },
      },
      required: ['status'],
      additionalProperties: false,
    },
    requestLog: {
      type: 'object',
      properties: {
        maxBodyBytes: { type: 'integer', minimum: 0, maximum: MAX_LOGGED_BODY_BYTES },
        redact: {
          type: 'array',
          maxItems: 50,
          uniqueItems: true,
          items: { type: 'string', pattern: REDACT_PATH_PATTERN, maxLength: 200 },
        },
      },
      additionalProperties: false,
    },
    responseTransform: responseTransformSchema,
  },
  required: ['name', 'upstreams', 'timeoutMs'],
  additionalProperties: false,
} as const;

/**
 * The definition's `degradeResponse` as the breaker's degrade answer: a JSON body serialised (a string
 * body sent as text), the content type taken out of the headers.
 */
export function degradeSettings(api: Pick<ApiDefinition, 'degradeResponse'>): DegradeResponse | undefined {
  const degrade = api.degradeResponse;
  if (!degrade) return undefined;
  const textBody = typeof degrade.body === 'string';
  const headers: Record<string, string> = {};
  let contentType: string | undefined;
  for (const [name, value] of Object.entries(degrade.headers ?? {})) {
    if (name.toLowerCase() === 'content-type') contentType = value;
    else headers[name] = value;
  }
  return {
    status: degrade.status,
    body:
      degrade.body === undefined ? '' : textBody ? (degrade.body as string) : JSON.stringify(degrade.body),
    contentType: contentType ?? (textBody ? 'text/plain; charset=utf-8' : 'application/json'),
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
  };
}

/** Compiles route schemas at write time, so a broken schema is refused then, not on a request. */
let checker: Ajv | undefined;
const schemaChecker = () => {
  checker ??= newAjv({ strict: false, validateSchema: true }, { formats: false });
  return checker;
};

const validateShape = bodyValidator<
  Partial<ApiDefinition> & Pick<ApiDefinition, 'name' | 'upstreams' | 'timeoutMs'>
>(apiDefinitionSchema);

/**
 * Validates a definition and fills in defaults (version 1, both auth modes, no required scopes).
 * Rules a schema cannot say are checked here too: a credentialed CORS policy may not allow `*`.
 */
export function validateApiDefinition(body: unknown): ApiDefinition {
  const input = validateShape(body);
  const violations: Violation[] = [];
  if (input.cors?.allowCredentials && input.cors.allowOrigins.includes('*')) {
    violations.push({
      pointer: '/cors/allowOrigins',
      message: 'may not contain * when allowCredentials is true',
    });
  }
  // The breaker checks what the schema above cannot: cross-field rules and the degrade answer's limits.
  const degrade = degradeSettings(input);
  if (input.circuitBreaker || degrade) {
    try {
      resolveBreakerSettings({ ...input.circuitBreaker, ...(degrade ? { degrade } : {}) });
    } catch (error) {
      const errors = ((error as DomainError).details?.errors as Violation[] | undefined) ?? [];
      for (const v of errors) {
        const pointer = v.pointer.startsWith('/degrade')
          ? `/degradeResponse${v.pointer.slice('/degrade'.length)}`
          : `/circuitBreaker${v.pointer}`;
        violations.push({ pointer, message: v.message });
      }
    }
  }
  input.routes?.forEach((route, i) => {
    violations.push(...parameterViolations(route.path, route.parameters ?? [], `/routes/${i}/parameters`));
    route.parameters?.forEach((parameter, j) => {
      if (!parameter.schema) return;
      try {
        schemaChecker().compile(parameter.schema);
      } catch (error) {
        violations.push({
          pointer: `/routes/${i}/parameters/${j}/schema`,
          message: `is not a valid JSON Schema: ${(error as Error).message}`,
        });
      }
    });
    for (const member of ['requestSchema', 'responseSchema'] as const) {
      const schema = route[member];
      if (!schema) continue;
      try {
        schemaChecker().compile(schema);
      } catch (error) {
        violations.push({
          pointer: `/routes/${i}/${member}`,
          message: `is not a valid JSON Schema: ${(error as Error).message}`,
        });
      }
    }
  });
  violations.push(...transformViolations(input));
  violations.push(...upstreamViolations(input.upstreams));
  if (violations.length > 0) {
    throw new DomainError(
      'validation-failed',
      violations.map((v) => `${v.pointer} ${v.message}`).join('; '),
      {
        errors: violations,
      },
    );
  }
  return {
    ...input,
    version: input.version ?? '1',
    authModes: input.authModes ?? ['token', 'signature'],
    requiredScopes: input.requiredScopes ?? [],
  };
}
