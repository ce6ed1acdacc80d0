import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import {
  ANALYTICS_APP_ROUTES,
  ANALYTICS_CONSOLE_ROUTES,
  LOG_ROUTES,
  PROVIDER_REPORT_ROUTE,
  TRACE_CONSOLE_ROUTES,
} from '../functions/analytics/routes.ts';
import { CONSOLE_ROUTES, type ConsoleRouteKey } from '../functions/console/routes.ts';
import { DISCOVERY_ROUTES } from '../functions/discovery/routes.ts';
import { PLANNED_ROUTES } from '../functions/fallback/routes.ts';
import { GATEWAY_ROUTES } from '../functions/gateway/routes.ts';
import { MESSAGES_API_ROUTES, PUBLISH_ROUTE } from '../functions/messages/routes.ts';
import { OAUTH_ROUTES, type OAuthRouteKey } from '../functions/oauth/routes.ts';
import {
  HEALTH_ROUTES,
  PARTNER_CONSOLE_ROUTES,
  PARTNER_PUSH_ROUTE,
  type PartnerConsoleRouteKey,
} from '../functions/partners/routes.ts';
import { DEVELOPER_ROUTES, PORTAL_ROUTES, SIGN_UP_ROUTE } from '../functions/portal/routes.ts';
import { TEST_CASE_ROUTES, type TestCaseRouteKey } from '../functions/testcases/routes.ts';
import { auditEntry } from '../shared/console/audit.ts';
import { validateCreateDeveloper, validateUpdateDeveloper } from '../shared/console/developers.ts';
import { CONSOLE_ROLES, type ConsoleRole } from '../shared/console/roles.ts';
import { API_NAME_PATTERN, apiDefinitionSchema } from '../shared/gateway/api-definition.ts';
import { BULKHEAD_DEFAULTS } from '../shared/gateway/bulkhead/bulkhead.ts';
import {
  DEFAULT_ALLOW_HEADERS,
  DEFAULT_ALLOW_METHODS,
  DEFAULT_MAX_AGE_SECONDS,
  PLATFORM_EXPOSE_HEADERS,
} from '../shared/gateway/cors.ts';
import { MAX_RESPONSE_BYTES } from '../shared/gateway/forward.ts';
import { IDENTITY_HEADERS } from '../shared/gateway/headers.ts';
import { MOCK_HEADER } from '../shared/gateway/mock/mock-responder.ts';
import { DEFAULT_REQUEST_LIMITS, MAX_REPORTED_VIOLATIONS } from '../shared/gateway/request-validation.ts';
import { UPSTREAM_POOL_DEFAULTS } from '../shared/gateway/upstreams/balancer.ts';
import { type ProblemCode, problemCodes, problemType } from '../shared/http/problem.ts';
import { authorizationServerMetadata } from '../shared/identity/metadata.ts';
import {
  createAppSchema,
  updateAppSchema,
  validateCreateApp,
  validateUpdateApp,
} from '../shared/identity/register-app.ts';
import { SIGNATURE_SCHEME } from '../shared/identity/request-signing.ts';
import { ATTEMPT_ERROR_CLASSES } from '../shared/messages/attempt-outcome.ts';
import { topicSchema } from '../shared/messages/topic.ts';
import { INITIAL_HEALTH } from '../shared/partners/health-machine.ts';
import type { Notice } from '../shared/partners/notice.ts';
import { noticeView } from '../shared/partners/notice-actions.ts';
import { DEFAULT_HEALTH_POLICY, partnerInputSchema, readPartner } from '../shared/partners/partner.ts';
import { partnerView } from '../shared/partners/partner-actions.ts';
import { defaultHealth, partnerHealth } from '../shared/partners/partner-health.ts';
import { decryptBody, parseAesKey, verifySignedParams } from '../shared/partners/partner-signature.ts';
import { lintOpenApi } from '../shared/portal/testing/openapi-lint.ts';
import doc from './portico.openapi.json' with { type: 'json' };

type Json = Record<string, unknown>;

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const GATEWAY_METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const document = doc as unknown as Json;
const paths = document.paths as Record<string, Record<string, Json>>;
const components = document.components as Record<string, Record<string, Json>>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const source = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');

/** Every `$ref` string anywhere in the document, with where it was found. */
function collectRefs(node: unknown, at = '#', found: { ref: string; at: string }[] = []) {
  if (Array.isArray(node)) {
    for (const [i, item] of node.entries()) collectRefs(item, `${at}/${i}`, found);
  } else if (isObject(node)) {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') found.push({ ref: value, at });
      else collectRefs(value, `${at}/${key}`, found);
    }
  }
  return found;
}

/** Resolves a local JSON Pointer reference (RFC 6901) against the document. */
function resolve(ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = document;
  for (const raw of ref.slice(2).split('/')) {
    const segment = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(node) || !Object.hasOwn(node, segment)) return undefined;
    node = node[segment];
  }
  return node;
}

const deref = (node: unknown): Json => {
  const target = isObject(node) && typeof node.$ref === 'string' ? resolve(node.$ref) : node;
  if (!isObject(target)) throw new Error(`not an object: ${JSON.stringify(node)}`);
  return target;
};

const operations = (): { where: string; path: string; method: string; operation: Json }[] =>
  Object.entries(paths).flatMap(([path, item]) =>
    METHODS.filter((m) => m in item).map((m) => ({
      where: `${m.toUpperCase()} ${path}`,
      path,
      method: m,
      operation: item[m]!,
    })),
  );

const gatewayOperations = () => operations().filter((o) => o.path.startsWith('/apis/'));

interface StackRoute {
  key: string;
  method: string;
  path: string;
  target: string;
}

/** The routes of the API stack, from the route tables its constructs and handlers share. */
function stackRoutes(): StackRoute[] {
  const table = (keys: readonly string[], target: (key: string) => string) =>
    keys.map((key) => {
      const [method, path] = key.split(' ') as [string, string];
      return { key, method, path, target: target(key) };
    });
  return [
    ...table(Object.keys(OAUTH_ROUTES), (key) => OAUTH_ROUTES[key as OAuthRouteKey]),
    ...table(Object.keys(DISCOVERY_ROUTES), () => 'discovery'),
    ...table(GATEWAY_ROUTES, () => 'gateway'),
    ...table(PLANNED_ROUTES, () => 'fallback'),
    ...table(Object.keys(PORTAL_ROUTES), () => 'portal'),
    ...table([...Object.keys(DEVELOPER_ROUTES), SIGN_UP_ROUTE], () => 'portalDeveloper'),
    ...table(Object.keys(TEST_CASE_ROUTES), () => 'testCases'),
    ...table(Object.keys(CONSOLE_ROUTES), () => 'consoleFn'),
    ...table(MESSAGES_API_ROUTES, () => 'messagesApi'),
    ...table([PUBLISH_ROUTE], () => 'publish'),
    ...table(Object.keys(PARTNER_CONSOLE_ROUTES), () => 'partnersConsole'),
    ...table([PARTNER_PUSH_ROUTE], () => 'partnerPush'),
    ...table(HEALTH_ROUTES, () => 'partnerHealth'),
    ...table([...Object.keys(ANALYTICS_CONSOLE_ROUTES), ...ANALYTICS_APP_ROUTES], () => 'analyticsApi'),
    ...table(Object.keys(LOG_ROUTES), () => 'logSearch'),
    ...table([...Object.keys(TRACE_CONSOLE_ROUTES), PROVIDER_REPORT_ROUTE], () => 'traces'),
  ];
}

const toOpenApiPath = (path: string) => path.replace(/\{(\w+)\+\}/g, '{$1}');
/** An `ANY` route is documented as GATEWAY_METHODS; the gateway's also as OPTIONS, for CORS preflights. */
const documentedMethods = ({ method, target }: Pick<StackRoute, 'method' | 'target'>) =>
  method !== 'ANY'
    ? [method.toLowerCase()]
    : target === 'gateway'
      ? [...GATEWAY_METHODS, 'options']
      : GATEWAY_METHODS;

/** Drops the annotation keywords `description` and `examples`, leaving types and constraints. */
function constraints(schema: unknown, isPropertyMap = false): unknown {
  if (Array.isArray(schema)) return schema.map((item) => constraints(item));
  if (!isObject(schema)) return schema;
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([key]) => isPropertyMap || !['description', 'examples'].includes(key))
      .map(([key, value]) => [key, constraints(value, !isPropertyMap && key === 'properties')]),
  );
}

/** Every console route, the partners' included, and the least role that may call it. */
type ConsoleKey =
  | ConsoleRouteKey
  | PartnerConsoleRouteKey
  | keyof typeof ANALYTICS_CONSOLE_ROUTES
  | keyof typeof LOG_ROUTES
  | keyof typeof TRACE_CONSOLE_ROUTES
  | TestCaseRouteKey;
const CONSOLE_ROLE_OF: Record<ConsoleKey, ConsoleRole> = {
  ...CONSOLE_ROUTES,
  ...TEST_CASE_ROUTES,
  ...PARTNER_CONSOLE_ROUTES,
  ...ANALYTICS_CONSOLE_ROUTES,
  ...LOG_ROUTES,
  ...TRACE_CONSOLE_ROUTES,
};

const consoleOperation = (key: ConsoleKey) => {
  const [method, path] = key.split(' ') as [string, string];
  return paths[path]?.[method.toLowerCase()];
};

const accepts = (validate: (body: unknown) => unknown) => (body: unknown) => {
  try {
    validate(body);
    return true;
  } catch {
    return false;
  }
};

function documentedValidator(schema: Json) {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats.default(ajv);
  return ajv.compile(schema);
}

/** Ajv holding the whole document, so schemas with local `$ref`s compile where they stand. */
const documentAjv = new Ajv2020({ allErrors: true, strict: false });
addFormats.default(documentAjv);
documentAjv.addSchema(document, 'portico');
const pointer = (...segments: string[]) =>
  segments.map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
function validatorAt(...segments: string[]) {
  const validate = documentAjv.getSchema(`portico#/${pointer(...segments)}`);
  if (!validate) throw new Error(`no schema at ${segments.join(' > ')}`);
  return validate;
}

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info).toMatchObject({ title: 'Portico', version: '0.1.0' });
  });

  it('lints clean with Redocly’s recommended rules, but for the sign-in form’s post', async () => {
    // The form post succeeds with a redirect to the app (302), as the authorization code flow does:
    // it has no 2xx answer to document.
    expect(await lintOpenApi(document, 'portico.openapi.json')).toEqual([
      expect.objectContaining({
        rule: 'operation-2xx-response',
        pointer: '#/paths/~1oauth2~1authorize/post/responses',
      }),
    ]);
  });

  it('resolves every $ref to an existing component', () => {
    const refs = collectRefs(document);
    expect(refs.length).toBeGreaterThan(0);
    for (const { ref, at } of refs) {
      expect(ref, at).toMatch(/^#\/components\/[^/]+\/[^/]+$/);
      expect(resolve(ref), `${ref} (used at ${at})`).toBeDefined();
    }
  });

  it('documents every route of the API stack, console routes included, and nothing else', () => {
    const routes = stackRoutes();
    const keys = routes.map((r) => r.key);
    expect(keys).toContain('POST /oauth2/token');
    expect(keys).toEqual(expect.arrayContaining(Object.keys(CONSOLE_ROLE_OF)));
    expect(keys).toEqual(expect.arrayContaining([PARTNER_PUSH_ROUTE, ...HEALTH_ROUTES]));
    expect(new Set(keys).size).toBe(keys.length);
    expect(routes.length).toBeGreaterThanOrEqual(12 + Object.keys(CONSOLE_ROLE_OF).length);

    const expected = new Set<string>();
    for (const route of routes) {
      const { method, path } = route;
      const item = paths[toOpenApiPath(path)];
      expect(item, `${method} ${path}`).toBeDefined();
      for (const m of documentedMethods(route)) {
        expect(item?.[m], `${method} ${path} as ${m}`).toBeDefined();
        expected.add(`${m.toUpperCase()} ${toOpenApiPath(path)}`);
      }
    }
    expect(new Set(operations().map((o) => o.where))).toEqual(expected);
  });

  it('declares every path template as a path parameter', () => {
    for (const { where, path, operation } of operations()) {
      const declared = [
        ...((paths[path]!.parameters as unknown as Json[] | undefined) ?? []),
        ...((operation.parameters as Json[] | undefined) ?? []),
      ]
        .map(deref)
        .filter((p) => p.in === 'path');
      const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      expect(declared.map((p) => p.name).sort(), where).toEqual(templated.sort());
      for (const p of declared) expect(p.required, `${where} ${p.name}`).toBe(true);
    }
  });

  it('lists every relayed method on the gateway', () => {
    for (const path of ['/apis/{apiName}', '/apis/{apiName}/{path}']) {
      for (const m of GATEWAY_METHODS) expect(paths[path]?.[m], `${m} ${path}`).toBeDefined();
    }
  });

  it('documents the fallback routes, and only them, as 501 not-implemented', () => {
    const planned = stackRoutes().filter((r) => r.target === 'fallback');
    expect(new Set(planned.map((r) => r.key))).toEqual(new Set(PLANNED_ROUTES));
    const plannedOperations = new Set<string>();
    for (const route of planned) {
      const { method, path } = route;
      for (const m of documentedMethods(route)) {
        const operation = paths[toOpenApiPath(path)]?.[m];
        expect(operation?.responses, `${method} ${path} as ${m}`).toEqual({
          '501': { $ref: '#/components/responses/NotImplemented' },
        });
        expect(operation?.tags).toEqual(['planned']);
        plannedOperations.add(`${m.toUpperCase()} ${toOpenApiPath(path)}`);
      }
    }
    for (const { where, operation } of operations()) {
      const isPlanned = plannedOperations.has(where);
      expect((operation.tags as string[]).includes('planned'), where).toBe(isPlanned);
      expect('501' in (operation.responses as Json), where).toBe(isPlanned);
    }
  });

  it('gives every operation a unique operationId', () => {
    const ids = operations().map(({ operation }) => operation.operationId);
    expect(ids.every((id) => typeof id === 'string')).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('puts the x-request-id header on every response the platform writes', () => {
    expect(components.headers?.RequestId).toBeDefined();
    for (const { where, operation } of operations()) {
      for (const [status, response] of Object.entries(operation.responses as Json)) {
        // API Gateway's own throttle answers before any function runs.
        if ((response as Json).$ref === '#/components/responses/Throttled') continue;
        const headers = deref(response).headers as Json | undefined;
        expect(headers?.['x-request-id'], `${where} ${status}`).toEqual({
          $ref: '#/components/headers/RequestId',
        });
      }
    }
  });

  it('documents 503 with Retry-After on every operation that needs a dependency', () => {
    const static_ = ['GET /openapi.json', 'GET /.well-known/oauth-authorization-server'];
    for (const { where, operation } of operations()) {
      const responses = operation.responses as Json;
      if (static_.includes(where) || '501' in responses) {
        expect('503' in responses, where).toBe(false);
        continue;
      }
      const unavailable = deref(responses['503']);
      expect((unavailable.headers as Json)['Retry-After'], where).toBeDefined();
      const [media] = Object.keys(unavailable.content as Json);
      const expected = where.includes(' /oauth2/authorize')
        ? 'text/html'
        : where.includes(' /oauth2/')
          ? 'application/json'
          : 'application/problem+json';
      expect(media, where).toBe(expected);
    }
  });

  it('compiles every schema as JSON Schema 2020-12', () => {
    for (const name of Object.keys(components.schemas!)) {
      expect(validatorAt('components', 'schemas', name), name).toBeTypeOf('function');
    }
  });

  it('answers problems as application/problem+json with the codes and statuses of problem.ts', () => {
    const knownTypes = Object.keys(problemCodes).map((code) => problemType(code as ProblemCode));
    const problem = components.schemas!.Problem as { properties: Record<string, Json>; required: string[] };
    expect(problem.properties.type?.examples).toEqual(knownTypes);
    expect(problem.required).toEqual(['type', 'title', 'status']);
    expect(Object.keys(problem.properties)).toEqual([
      'type',
      'title',
      'status',
      'detail',
      'instance',
      'errors',
    ]);

    const statusOf = (type: string) => {
      const code = type.replace('urn:portico:problem:', '') as ProblemCode;
      expect(problemCodes[code], type).toBeDefined();
      return problemCodes[code].status;
    };
    const problemResponses = Object.entries(components.responses!).filter(
      ([, response]) => isObject(response.content) && 'application/problem+json' in response.content,
    );
    expect(problemResponses.length).toBeGreaterThanOrEqual(14);
    for (const [name, response] of problemResponses) {
      const media = (response.content as Record<string, Json>)['application/problem+json']!;
      const [base, narrowed] = (media.schema as { allOf: Json[] }).allOf as [Json, { properties: Json }];
      expect(base, name).toEqual({ $ref: '#/components/schemas/Problem' });
      const type = narrowed.properties.type as { const?: string; enum?: string[] };
      const status = narrowed.properties.status as { const?: number; enum?: number[] };
      const types = type.enum ?? [type.const!];
      const statuses = status.enum ?? [status.const!];
      expect(new Set(types.map(statusOf)), name).toEqual(new Set(statuses));
      const examples = Object.values(media.examples as Record<string, { value: Json }>);
      expect(examples.length, name).toBeGreaterThan(0);
      const validate = validatorAt(
        'components',
        'responses',
        name,
        'content',
        'application/problem+json',
        'schema',
      );
      for (const { value } of examples) {
        expect(types, name).toContain(value.type);
        expect(value.status, name).toBe(statusOf(value.type as string));
        expect(value.title, name).toBe(problemCodes[(value.type as string).slice(20) as ProblemCode].title);
        expect(validate(value), `${name} example ${JSON.stringify(value)}`).toBe(true);
      }
    }
  });

  it('documents OAuth errors with RFC 6749 members, no-store and the oauth problem type', () => {
    const schema = components.schemas!.OAuthError as { required: string[]; properties: Record<string, Json> };
    expect(schema.required).toEqual(['error', 'error_description', 'type', 'title', 'status']);
    expect(schema.properties.type?.pattern).toBe('^urn:portico:problem:oauth:');
    for (const path of ['/oauth2/token', '/oauth2/introspect', '/oauth2/revoke']) {
      const operation = paths[path]!.post!;
      expect(operation.security, path).toEqual([{ clientBasic: [] }, {}]);
      const responses = operation.responses as Json;
      for (const status of ['200', '400', '401', '413', '415', '429']) {
        const response = deref(responses[status]);
        expect(Object.keys(response.content as Json), `${path} ${status}`).toEqual(['application/json']);
        expect((response.headers as Json)['Cache-Control'], `${path} ${status}`).toEqual({
          $ref: '#/components/headers/CacheControlNoStore',
        });
      }
      const tooMany = deref(responses['429']);
      expect((tooMany.headers as Json)['Retry-After'], path).toBeDefined();
      expect(Object.keys((operation.requestBody as { content: Json }).content), path).toEqual([
        'application/x-www-form-urlencoded',
      ]);
    }
  });

  it('documents the grants the token endpoint implements', () => {
    const grants = [...source('../shared/identity/token-endpoint.ts').matchAll(/case '(\w+)':/g)].map(
      (m) => m[1],
    );
    expect([...grants].sort()).toEqual(['authorization_code', 'client_credentials', 'refresh_token']);
    const variants = (components.schemas!.TokenRequest as { oneOf: Json[] }).oneOf.map(deref);
    const documented = variants.map((v) => {
      const own = (v.allOf as Json[]).map(deref)[1] as { properties: { grant_type: { const: string } } };
      return own.properties.grant_type.const;
    });
    expect([...documented].sort()).toEqual([...grants].sort());
    const metadata = authorizationServerMetadata('https://portico.example');
    expect([...metadata.grant_types_supported].sort()).toEqual([...grants].sort());
    const tokenResponse = components.schemas!.TokenResponse as { properties: Json };
    expect(Object.keys(tokenResponse.properties)).toContain('refresh_token');
  });

  it('lists every authorization-server metadata member', () => {
    const metadata = authorizationServerMetadata('https://portico.example');
    const schema = components.schemas!.AuthorizationServerMetadata as Json & { required: string[] };
    expect([...schema.required].sort()).toEqual(Object.keys(metadata).sort());
    expect(documentedValidator(schema)(metadata)).toBe(true);
  });

  it('declares the security schemes', () => {
    const consoleScopes = Object.fromEntries(CONSOLE_ROLES.map((r) => [`console:${r}`, expect.any(String)]));
    expect(components.securitySchemes).toMatchObject({
      clientBasic: { type: 'http', scheme: 'basic' },
      bearerToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      signedRequest: { type: 'http', scheme: SIGNATURE_SCHEME },
      oauth2: {
        type: 'oauth2',
        flows: {
          clientCredentials: { tokenUrl: '/oauth2/token', scopes: consoleScopes },
          authorizationCode: {
            authorizationUrl: '/oauth2/authorize',
            tokenUrl: '/oauth2/token',
            scopes: consoleScopes,
          },
        },
      },
    });
    for (const { where, method, operation } of operations().filter((o) => o.where.includes(' /apis/'))) {
      // A CORS preflight is answered before authentication, so OPTIONS may come without credentials.
      const anonymous = method === 'options' ? [{}] : [];
      expect(operation.security, where).toEqual([{ bearerToken: [] }, { signedRequest: [] }, ...anonymous]);
    }
  });

  it('describes every signature failure reason the verifier produces', () => {
    const reasons = [
      ...source('../shared/identity/request-signing.ts').matchAll(/failure\('([a-z-]+)'/g),
    ].map((m) => m[1]);
    const response = components.responses!.GatewayUnauthorized!;
    const media = (response.content as Record<string, Json>)['application/problem+json']!;
    const narrowed = (media.schema as { allOf: Json[] }).allOf[1] as { properties: { reason: Json } };
    expect(narrowed.properties.reason.enum).toEqual([...new Set(reasons)]);
    const description = (components.securitySchemes!.signedRequest as { description: string }).description;
    for (const reason of reasons) expect(description).toContain(`\`${reason}\``);
  });

  it('describes the gateway parameters and the identity headers sent upstream', () => {
    const apiName = components.parameters!.ApiName as { schema: Json };
    expect(apiName.schema.pattern).toBe(API_NAME_PATTERN);
    for (const { where, operation } of gatewayOperations()) {
      for (const name of [...Object.values(IDENTITY_HEADERS), 'traceparent'])
        expect(operation.description, where).toContain(name);
    }
    expect((components.parameters!.GatewayPath as Json).description).toMatch(/slash/);
  });
});

/** Sources of the gateway pipeline's stages, each of which may end a call with a problem. */
const GATEWAY_SOURCES = [
  'gateway/gateway.ts',
  'gateway/forward.ts',
  'gateway/unknown-api.ts',
  'gateway/visible-api.ts',
  'gateway/request-validation.ts',
  'gateway/caller-authentication.ts',
  'gateway/bulkhead/bulkhead.ts',
  'gateway/circuit-breaker/degrade.ts',
  'gateway/rate-limit/problem.ts',
  'identity/access-token-validator.ts',
  'identity/token-verifier.ts',
  'identity/request-signing.ts',
];

/** Every problem code named as a string literal in those sources. */
function gatewayProblemCodes(): Set<string> {
  const codes = new Set<string>();
  for (const file of GATEWAY_SOURCES) {
    for (const [, literal] of source(`../shared/${file}`).matchAll(/'([a-z-]+)'/g)) {
      if (Object.hasOwn(problemCodes, literal!)) codes.add(literal!);
    }
  }
  return codes;
}

/** The problem types a response may carry, from its narrowed problem+json schema. */
function documentedTypes(response: unknown): string[] {
  const media = (deref(response).content as Record<string, Json> | undefined)?.['application/problem+json'];
  if (!media) return [];
  const narrowed = (media.schema as { allOf: Json[] }).allOf[1] as { properties: { type: Json } };
  const type = narrowed.properties.type as { const?: string; enum?: string[] };
  return type.enum ?? [type.const!];
}

/** The string members of a `const NAME = [...]` or `new Set([...])` in a source file. */
function listedIn(text: string, name: string): string[] {
  const body = new RegExp(`const ${name} = (?:new Set\\()?\\[([^\\]]*)\\]`).exec(text)?.[1];
  if (body === undefined) throw new Error(`${name} not found`);
  return [...body.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
}

/** The paragraph, or the numbered step, that starts with this bold heading. */
const paragraph = (text: string, heading: string) => {
  const found = text.split('\n').find((p) => p.replace(/^\d+\. /, '').startsWith(`**${heading}.**`));
  if (!found) throw new Error(`no "${heading}" paragraph`);
  return found;
};

describe('the gateway operations', () => {
  it('answer every problem the pipeline can raise, each under its own status, and no other', () => {
    const raised = gatewayProblemCodes();
    // The scan must see the problems raised outside gateway.ts too.
    expect([...raised]).toEqual(
      expect.arrayContaining([
        'unauthorized',
        'rate-limited',
        'validation-failed',
        'bulkhead-full',
        'circuit-open',
      ]),
    );
    const operations = gatewayOperations();
    expect(operations).toHaveLength(2 * (GATEWAY_METHODS.length + 1));
    for (const { where, operation } of operations) {
      const documented = new Set<string>();
      for (const [status, response] of Object.entries(operation.responses as Json)) {
        for (const type of documentedTypes(response)) {
          const code = type.replace('urn:portico:problem:', '') as ProblemCode;
          expect(String(problemCodes[code]?.status), `${where} ${status} ${type}`).toBe(status);
          documented.add(code);
        }
      }
      expect(documented, where).toEqual(raised);
    }
  });

  it('document the rate-limit, Retry-After and Allow headers of their problems', () => {
    for (const { where, operation } of gatewayOperations()) {
      const responses = operation.responses as Json;
      const headersOf = (status: string) => Object.keys(deref(responses[status]).headers as Json);
      expect(headersOf('429'), where).toEqual(
        expect.arrayContaining(['RateLimit', 'RateLimit-Policy', 'Retry-After']),
      );
      expect(headersOf('503'), where).toContain('Retry-After');
      expect(headersOf('405'), where).toContain('Allow');
      expect('204' in responses, where).toBe(where.startsWith('OPTIONS '));
    }
  });

  it('document the CORS preflight answer on OPTIONS', () => {
    for (const path of ['/apis/{apiName}', '/apis/{apiName}/{path}']) {
      const options = paths[path]!.options!;
      expect((options.responses as Json)['204']).toEqual({ $ref: '#/components/responses/CorsPreflight' });
      expect(options.description).toContain(paths[path]!.get!.description as string);
    }
    const preflight = components.responses!.CorsPreflight!;
    expect(Object.keys(preflight.headers as Json).sort()).toEqual(
      [
        'x-request-id',
        'Access-Control-Allow-Origin',
        'Access-Control-Allow-Methods',
        'Access-Control-Allow-Headers',
        'Access-Control-Max-Age',
        'Access-Control-Allow-Credentials',
        'Vary',
      ].sort(),
    );
    const header = (name: string) => ((preflight.headers as Json)[name] as Json).description as string;
    expect(header('Access-Control-Allow-Methods')).toContain(DEFAULT_ALLOW_METHODS.join(', '));
    expect(header('Access-Control-Allow-Headers')).toContain(DEFAULT_ALLOW_HEADERS.join(', '));
    expect(header('Access-Control-Max-Age')).toContain(String(DEFAULT_MAX_AGE_SECONDS));
  });

  it('share one description per path, listing the stages of gateway.ts in order', () => {
    const pipeline = /\* The gateway's invoke pipeline[\s\S]*?\*\//.exec(
      source('../shared/gateway/gateway.ts'),
    )?.[0];
    const stages = [...(pipeline ?? '').matchAll(/^ \*\s+(\d+)\. /gm)].map((m) => Number(m[1]));
    expect(stages.length).toBeGreaterThanOrEqual(10);
    expect(stages).toEqual(stages.map((_, i) => i + 1));
    for (const path of ['/apis/{apiName}', '/apis/{apiName}/{path}']) {
      const description = paths[path]!.get!.description as string;
      for (const m of GATEWAY_METHODS) expect(paths[path]![m]!.description, `${m} ${path}`).toBe(description);
      const positions = stages.map((n) => description.indexOf(`\n${n}. **`));
      expect(
        positions.every((p) => p > 0),
        path,
      ).toBe(true);
      expect(
        [...positions].sort((a, b) => a - b),
        path,
      ).toEqual(positions);
      expect(description, path).not.toContain(`\n${stages.length + 1}. `);
    }
  });

  it('name the headers stripped in each direction, as headers.ts lists them', () => {
    const headers = source('../shared/gateway/headers.ts').replace(/\/\/.*$/gm, '');
    const hopPrefix = /const HOP_BY_HOP_PREFIX = '([^']+)'/.exec(headers)?.[1];
    expect(hopPrefix).toBeDefined();
    const names = (list: string[]) => list.map((name) => `\`${name}\``);
    const prefixes = (list: string[]) => list.map((prefix) => `\`${prefix}*\``);
    for (const { where, operation } of gatewayOperations()) {
      const description = operation.description as string;
      const sent = paragraph(description, 'Headers sent upstream');
      for (const expected of [
        ...names(listedIn(headers, 'HOP_BY_HOP')),
        ...names(listedIn(headers, 'RECOMPUTED')),
        ...names(listedIn(headers, 'STRIPPED_FROM_CLIENT')),
        ...prefixes([hopPrefix!, ...listedIn(headers, 'PLATFORM_PREFIXES_FROM_CLIENT')]),
        ...Object.values(IDENTITY_HEADERS).map((name) => `\`${name}`),
      ])
        expect(sent, where).toContain(expected);
      const returned = paragraph(description, 'Headers returned to the caller');
      for (const expected of [
        ...names(listedIn(headers, 'STRIPPED_FROM_UPSTREAM')),
        ...prefixes(listedIn(headers, 'PLATFORM_PREFIXES_FROM_UPSTREAM')),
      ])
        expect(returned, where).toContain(expected);
    }
  });

  it('state the limits and defaults the pipeline applies', () => {
    for (const { where, operation } of gatewayOperations()) {
      const description = operation.description as string;
      for (const limit of Object.values(DEFAULT_REQUEST_LIMITS))
        expect(paragraph(description, 'Request validation'), where).toContain(String(limit));
      expect(description, where).toContain(`at most ${MAX_REPORTED_VIOLATIONS} violations`);
      expect(description, where).toContain(`larger than ${MAX_RESPONSE_BYTES} bytes`);
      expect(description, where).toContain(`\`${MOCK_HEADER}: true\``);
      expect(description, where).toContain(`(${BULKHEAD_DEFAULTS.defaultMaxInFlight} as deployed)`);
      expect(description, where).toContain(`\`${BULKHEAD_DEFAULTS.defaultGroup}\` group`);
      expect(description, where).toContain(
        `failing ${UPSTREAM_POOL_DEFAULTS.consecutiveFailures} times in a row`,
      );
      expect(description, where).toContain(
        `ejected for ${UPSTREAM_POOL_DEFAULTS.ejectionMs / 1000} s, doubling up to ${UPSTREAM_POOL_DEFAULTS.maxEjectionMs / 1000} s`,
      );
      for (const strategy of apiDefinitionSchema.properties.loadBalancing.enum)
        expect(description, where).toContain(`\`${strategy}\``);
      const cors = paragraph(description, 'CORS');
      expect(cors, where).toContain(DEFAULT_ALLOW_METHODS.join(', '));
      expect(cors, where).toContain(DEFAULT_ALLOW_HEADERS.join(', '));
      expect(cors, where).toContain(`by default ${DEFAULT_MAX_AGE_SECONDS}`);
      for (const name of PLATFORM_EXPOSE_HEADERS) expect(cors, where).toContain(`\`${name}\``);
    }
  });
});

describe('the API definition schema', () => {
  it('has the types and constraints of apiDefinitionSchema', () => {
    expect(constraints(components.schemas!.ApiDefinition)).toEqual(apiDefinitionSchema);
  });

  it('names the rules validateApiDefinition checks beyond the schema', () => {
    const description = components.schemas!.ApiDefinition!.description as string;
    for (const rule of ['JSON Schema', 'allowCredentials', 'openMaxMs', 'openBaseMs', 'validation-failed'])
      expect(description).toContain(rule);
  });
});

describe('the messages schemas', () => {
  it('have the types and constraints of topicSchema', () => {
    expect(constraints(components.schemas!.Topic)).toEqual(topicSchema);
  });

  it('name every attempt error class the delivery worker records', () => {
    const { Delivery, Attempt } = components.schemas as Record<string, { properties: Record<string, Json> }>;
    expect(Delivery!.properties.lastError!.enum).toEqual([...ATTEMPT_ERROR_CLASSES]);
    expect(Attempt!.properties.errorClass!.enum).toEqual([...ATTEMPT_ERROR_CLASSES]);
  });
});

describe('the partner schemas', () => {
  const schemas = components.schemas as Record<string, Json & { properties: Json; examples?: unknown[] }>;
  const input = schemas.PartnerInput!.examples![0] as Json;
  const now = Date.parse('2020-07-02T08:15:00Z');
  const notice: Notice = {
    partnerId: 'gddianxin',
    noticeId: 'UC-051-20200702-96038',
    source: 'partner',
    content: '系统故障',
    begin: Date.parse('2020-07-02T00:00:00Z'),
    end: Date.parse('2020-07-03T00:00:00Z'),
    status: 'invalid',
    createdAt: now - 3_600_000,
    updatedAt: now,
    operatorId: 'app_Zx1bq9Ow7kT3vL0s2YpNcA',
    changeCount: 1,
    clearedBy: 'app_Zx1bq9Ow7kT3vL0s2YpNcA',
  };
  /** The named examples of an operation's JSON request body. */
  const bodyExamples = (operation: Json) =>
    ((operation.requestBody as { content: Record<string, Json> }).content['application/json']!.examples ??
      {}) as Record<string, { value: Json }>;
  const valid = (name: string, value: unknown) => {
    const validate = validatorAt('components', 'schemas', name);
    expect(validate(value), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
  };

  it('have the types and constraints of partnerInputSchema', () => {
    expect(constraints(schemas.PartnerInput)).toEqual(partnerInputSchema);
  });

  it('describe every member of the partner, notice and health answers, and accept them', () => {
    const { partner } = readPartner(input, false);
    const view = partnerView({
      ...partner,
      revision: 3,
      createdAt: now - 86_400_000,
      updatedAt: now,
      sharedSecretCiphertext: 'c2VjcmV0',
      aesKeyCiphertext: 'a2V5',
    });
    valid('PartnerView', view);
    expect(Object.keys(schemas.PartnerView!.properties).sort()).toEqual(Object.keys(view).sort());

    const shown = noticeView(notice, now, true);
    valid('NoticeView', shown);
    expect(Object.keys(schemas.NoticeView!.properties).sort()).toEqual(Object.keys(shown).sort());

    const health = partnerHealth(
      {
        partnerId: 'gddianxin',
        automatic: { ...INITIAL_HEALTH, phase: 'ramping', step: 1 },
        policy: DEFAULT_HEALTH_POLICY,
        notices: [{ ...notice, status: 'effective' }],
        switches: { partnerNotices: true },
        rank: 10,
        readAt: now,
      },
      now,
    );
    valid('PartnerHealth', health);
    valid('PartnerHealth', defaultHealth('gddianxin', true, now));
    expect(Object.keys(schemas.PartnerHealth!.properties).sort()).toEqual(Object.keys(health).sort());
  });

  it('give examples the code accepts', () => {
    for (const name of ['PartnerInput', 'PartnerView', 'NoticeView', 'PartnerHealth', 'PartnerPushResult']) {
      for (const example of schemas[name]!.examples ?? []) valid(name, example);
    }
    const examples = bodyExamples(paths['/partners/v1/notices']!.post!);
    const update = bodyExamples(paths['/console/v1/partners/{partnerId}']!.put!).update!.value;
    const aesKey = parseAesKey(update.aesKey as string)!;
    for (const { value } of Object.values(examples)) {
      valid('PartnerPush', value);
      const signedAt = Number(value.timestamp) * 1000;
      expect(verifySignedParams(value, [input.sharedSecret as string], signedAt).ok).toBe(true);
      if (typeof value.encrypted === 'string') {
        expect(JSON.parse(decryptBody(value.encrypted, aesKey)!)).toEqual({
          upgradeInfo: examples.clear!.value.upgradeInfo,
        });
      }
    }
  });
});

describe('the console operations', () => {
  const keys = Object.keys(CONSOLE_ROLE_OF) as ConsoleKey[];

  it.each(keys)('%s names its least role, the scopes that satisfy it, and its 403', (key) => {
    const role = CONSOLE_ROLE_OF[key];
    const operation = consoleOperation(key);
    expect(operation).toBeDefined();
    expect(operation!.tags).toEqual(['console']);
    expect(operation!['x-portico-role']).toBe(role);
    expect(operation!.description).toContain(`Least role: **${role}**`);
    const sufficient = CONSOLE_ROLES.slice(CONSOLE_ROLES.indexOf(role));
    expect(operation!.security).toEqual(sufficient.map((r) => ({ oauth2: [`console:${r}`] })));
    const responses = operation!.responses as Json;
    expect(responses['401']).toEqual({ $ref: '#/components/responses/Unauthorized' });
    expect(responses['403']).toEqual({ $ref: '#/components/responses/ConsoleForbidden' });
  });

  it('documents the console 403 with the requiredRole member', () => {
    const media = (components.responses!.ConsoleForbidden!.content as Record<string, Json>)[
      'application/problem+json'
    ]!;
    const narrowed = (media.schema as { allOf: Json[] }).allOf[1] as { properties: Json };
    expect(narrowed.properties.requiredRole).toEqual({ type: 'string', enum: [...CONSOLE_ROLES] });
  });

  it('puts x-portico-role on console operations only', () => {
    for (const { where, operation } of operations()) {
      expect('x-portico-role' in operation, where).toBe(where.includes(' /console/'));
    }
  });

  it('pages the list operations with limit and cursor', () => {
    const limit = components.parameters!.Limit as { schema: Json };
    expect(limit.schema).toEqual({ type: 'integer', minimum: 1, maximum: 100, default: 25 });
    for (const key of [
      'GET /console/v1/developers',
      'GET /console/v1/apps',
      'GET /console/v1/audit',
      'GET /console/v1/apps/{appId}/tokens',
    ] as const) {
      const operation = consoleOperation(key)!;
      expect(operation.parameters, key).toEqual(
        expect.arrayContaining([
          { $ref: '#/components/parameters/Limit' },
          { $ref: '#/components/parameters/Cursor' },
        ]),
      );
      const page = deref(
        ((deref((operation.responses as Json)['200']).content as Json)['application/json'] as Json).schema,
      ) as { required: string[]; properties: Json };
      expect(page.required, key).toEqual(['items']);
      expect(Object.keys(page.properties), key).toEqual(['items', 'next']);
    }
  });

  it('lists every audited action and the members of an audit entry', () => {
    const actions = [
      ...source('../shared/console/console-actions.ts').matchAll(/audit\(\s*ctx,\s*'([a-z.-]+)'/g),
      // The portal's and the test cases' writes name their actions as literals of their own kind.
      ...[
        '../shared/portal/sign-up.ts',
        '../shared/portal/access-requests.ts',
        '../shared/portal/access-request-actions.ts',
        '../shared/testcases/test-case-actions.ts',
      ].flatMap((file) => [...source(file).matchAll(/'((?:developer|access-request|test-case)\.[a-z-]+)'/g)]),
    ].map((m) => m[1]);
    const schema = components.schemas!.AuditEntry as { properties: Record<string, Json>; required: string[] };
    expect([...(schema.properties.action!.enum as string[])].sort()).toEqual([...new Set(actions)].sort());
    const full = auditEntry(
      { subject: 'app_1', clientId: 'ak_1', role: 'admin' },
      'app.update',
      { type: 'app', id: 'app_1' },
      { before: { a: 1 }, after: { a: 2 } },
      new Date(),
      'req-1',
    );
    expect(Object.keys(schema.properties).sort()).toEqual(Object.keys(full).sort());
    const bare = auditEntry(full.actor, 'app.create', full.target, {}, new Date());
    expect([...schema.required].sort()).toEqual(Object.keys(bare).sort());
  });
});

describe('the app request schemas', () => {
  const cases = [
    ['CreateAppRequest', createAppSchema],
    ['UpdateAppRequest', updateAppSchema],
  ] as const;

  it.each(cases)('%s has the members and top-level keywords of register-app.ts', (name, code) => {
    const schema = components.schemas![name] as Json & { properties: Json };
    const { properties: _documented, ...documentedTop } = constraints(schema) as Json;
    const { properties: _code, ...codeTop } = code;
    expect(documentedTop).toEqual(codeTop);
    expect(Object.keys(schema.properties).sort()).toEqual(Object.keys(code.properties).sort());
  });

  it.each(
    cases.flatMap(([name, code]) =>
      Object.entries(code.properties).map(([property, expected]) => [name, property, expected] as const),
    ),
  )('%s constrains %s as register-app.ts does', (name, property, expected) => {
    const schema = components.schemas![name] as { properties: Json };
    expect(constraints(schema.properties[property])).toEqual(expected);
  });

  const bodies: unknown[] = [
    { name: 'Order sync' },
    { name: 'x', description: 'd', innerId: 'u-1', scopes: ['orders:read', 'a/b.c_d-e'] },
    { name: 'x', description: null, innerId: null, scopes: null },
    {},
    { name: '' },
    { name: '   ' },
    { name: 'x'.repeat(100) },
    { name: 'x'.repeat(101) },
    { name: 'x', description: 'd'.repeat(1000) },
    { name: 'x', description: 'd'.repeat(1001) },
    { name: 'x', innerId: '' },
    { name: 'x', innerId: 'i'.repeat(129) },
    { name: 'x', scopes: ['a', 'a'] },
    { name: 'x', scopes: ['-bad'] },
    { name: 'x', scopes: [`a${'b'.repeat(128)}`] },
    { name: 'x', scopes: Array.from({ length: 101 }, (_, i) => `s${i}`) },
    { name: 'x', developerId: 'dev_Qm7rV2nXcL0pA9sK4tYbEw' },
    { name: 'x', developerId: 'dev_short' },
    { name: 'x', developerId: 'app_Qm7rV2nXcL0pA9sK4tYbEw' },
    { name: 'x', redirectUris: ['https://a.example/cb', 'http://localhost:8080/cb', 'http://127.0.0.1/cb'] },
    { name: 'x', redirectUris: ['http://[::1]:9/cb'] },
    { name: 'x', redirectUris: ['http://a.example/cb'] },
    { name: 'x', redirectUris: ['https://a.example/cb#frag'] },
    { name: 'x', redirectUris: ['https://a.example/cb', 'https://a.example/cb'] },
    { name: 'x', redirectUris: [`https://a.example/${'p'.repeat(2000)}`] },
    { name: 'x', redirectUris: Array.from({ length: 21 }, (_, i) => `https://a.example/${i}`) },
    { name: 'x', accessTokenTtlSeconds: 60 },
    { name: 'x', accessTokenTtlSeconds: 86_400 },
    { name: 'x', accessTokenTtlSeconds: 59 },
    { name: 'x', accessTokenTtlSeconds: 86_401 },
    { name: 'x', accessTokenTtlSeconds: 90.5 },
    { name: 'x', status: 'disabled' },
    { status: 'disabled' },
    { status: 'paused' },
    { scopes: [] },
    { name: 'x', extra: true },
    { name: 42 },
  ];

  it.each(cases)('%s accepts and refuses the same bodies as the console', (name) => {
    const documented = documentedValidator(components.schemas![name]!);
    const consoleAccepts = accepts(name === 'CreateAppRequest' ? validateCreateApp : validateUpdateApp);
    for (const body of bodies) expect(documented(body), JSON.stringify(body)).toBe(consoleAccepts(body));
  });
});

describe('the developer request schemas', () => {
  const bodies: unknown[] = [
    { name: 'Acme', email: 'dev@acme.example' },
    { name: 'Acme', email: 'dev@acme.example', company: 'Acme Inc.' },
    { name: 'Acme' },
    { email: 'dev@acme.example' },
    { name: ' ', email: 'dev@acme.example' },
    { name: 'Acme', email: 'not an address' },
    { name: 'Acme', email: `${'a'.repeat(250)}@a.ex` },
    { name: 'Acme', email: 'dev@acme.example', company: 'c'.repeat(201) },
    { name: 'Acme', email: 'dev@acme.example', status: 'disabled' },
    { status: 'disabled' },
    { status: 'gone' },
    { company: '' },
    {},
    { name: 'Acme', email: 'dev@acme.example', extra: 1 },
  ];

  it.each([
    ['CreateDeveloperRequest', validateCreateDeveloper],
    ['UpdateDeveloperRequest', validateUpdateDeveloper],
  ] as const)('%s accepts and refuses the same bodies as the console', (name, validate) => {
    const documented = documentedValidator(components.schemas![name]!);
    const consoleAccepts = accepts(validate);
    for (const body of bodies) expect(documented(body), JSON.stringify(body)).toBe(consoleAccepts(body));
  });
});
