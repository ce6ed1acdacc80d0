import type { Ajv, ValidateFunction } from 'ajv';
import { newAjv as ajvWith } from '../kernel/ajv.ts';
import { DomainError } from '../kernel/errors.ts';
import { toViolation, type Violation } from '../kernel/validation.ts';
import type { ApiDefinition, ApiRoute, HttpMethod } from './api-definition.ts';
import { ParameterValidator, parameterAjv } from './parameter-validation.ts';
import { RouteTable } from './route-table.ts';

/**
 * The gateway's request-validation stage, run after authentication and rate limits and before the
 * upstream call: it bounds the request's size, matches it to one of the API's routes, checks the
 * route's declared query, header and path parameters and a JSON body against the route's `requestSchema`. Every refusal is a DomainError (400, 404, 405, 413 or
 * 415), whatever the input. Pure: no I/O.
 */

export interface GatewayRequest {
  method: string;
  /** The path below `/apis/{name}`, still percent-encoded. */
  path: string;
  rawQueryString: string;
  headers: Record<string, string | undefined>;
  body: Buffer;
}

export interface ValidatedRequest {
  /** The matched route; undefined when the API declares no routes and so takes any request. */
  route?: ApiRoute;
  /** Decoded path parameters of the matched route. */
  params: Record<string, string>;
}

export interface RequestLimits {
  maxBodyBytes: number;
  /** Counted as on the wire: every header's name, value, `: ` and CRLF. */
  maxHeaderBytes: number;
  maxHeaderCount: number;
  maxPathLength: number;
  maxQueryLength: number;
  /** Deeper JSON is refused before it is parsed, so hostile nesting cannot exhaust the stack. */
  maxJsonDepth: number;
}

export const DEFAULT_REQUEST_LIMITS: Readonly<RequestLimits> = {
  maxBodyBytes: 1024 * 1024,
  maxHeaderBytes: 16 * 1024,
  maxHeaderCount: 100,
  maxPathLength: 2048,
  maxQueryLength: 4096,
  maxJsonDepth: 64,
};

/** At most this many violations are reported; the detail says how many more there were. */
export const MAX_REPORTED_VIOLATIONS = 50;

const HTTP_METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
const JSON_MEDIA_TYPE = /^application\/(?:[a-z0-9!#$&^_.-]+\+)?json$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Schemas were checked against the meta-schema when the definition was written, so that (costly)
 * check is not repeated here.
 */
function newAjv(): Ajv {
  return ajvWith({ allErrors: true, strict: false, coerceTypes: false, validateSchema: false });
}

/** True when the schema names itself or a part of itself with an `$id`, which Ajv registers globally. */
function declaresId(schema: unknown): boolean {
  if (Array.isArray(schema)) return schema.some(declaresId);
  if (schema === null || typeof schema !== 'object') return false;
  return Object.entries(schema).some(([key, value]) => key === '$id' || declaresId(value));
}

/**
 * Schemas without an `$id` share one Ajv per validator, so its cache lives as long as the definition
 * it serves. Ajv registers every `$id` instance-wide (refusing a second top-level one, letting a nested
 * one overwrite the first), and APIs, or two routes of one, may well reuse an `$id`: a schema that
 * declares one gets an Ajv of its own.
 */
class SchemaCompiler {
  private shared: Ajv | undefined;

  compile(schema: Record<string, unknown>): ValidateFunction {
    if (declaresId(schema)) return newAjv().compile(schema);
    this.shared ??= newAjv();
    return this.shared.compile(schema);
  }
}

function withDefaults(limits: Partial<RequestLimits>): RequestLimits {
  return {
    maxBodyBytes: limits.maxBodyBytes ?? DEFAULT_REQUEST_LIMITS.maxBodyBytes,
    maxHeaderBytes: limits.maxHeaderBytes ?? DEFAULT_REQUEST_LIMITS.maxHeaderBytes,
    maxHeaderCount: limits.maxHeaderCount ?? DEFAULT_REQUEST_LIMITS.maxHeaderCount,
    maxPathLength: limits.maxPathLength ?? DEFAULT_REQUEST_LIMITS.maxPathLength,
    maxQueryLength: limits.maxQueryLength ?? DEFAULT_REQUEST_LIMITS.maxQueryLength,
    maxJsonDepth: limits.maxJsonDepth ?? DEFAULT_REQUEST_LIMITS.maxJsonDepth,
  };
}

export class RequestValidator {
  private readonly limits: RequestLimits;
  private readonly routes: RouteTable<ApiRoute> | undefined;
  private readonly bodyValidators = new Map<ApiRoute, ValidateFunction>();
  private readonly parameterValidators = new Map<ApiRoute, ParameterValidator>();

  /** Compiles every route's `requestSchema` and parameters now; throws when one does not compile. */
  constructor(api: ApiDefinition, limits: Partial<RequestLimits> = {}) {
    this.limits = withDefaults(limits);
    const routes = api.routes ?? [];
    this.routes = routes.length > 0 ? new RouteTable(routes) : undefined;
    const compiler = new SchemaCompiler();
    let parameters: Ajv | undefined;
    routes.forEach((route, index) => {
      if (route.parameters?.length) {
        // As for bodies: one Ajv for the API's routes, unless a schema declares an `$id`.
        const ownId = declaresId(route.parameters);
        if (!ownId) parameters ??= parameterAjv();
        const ajv = ownId || !parameters ? parameterAjv() : parameters;
        try {
          this.parameterValidators.set(route, new ParameterValidator(route.parameters, ajv));
        } catch (error) {
          throw new Error(
            `API ${api.name}: the parameters of route ${index} (${route.method} ${route.path}) do not compile: ${(error as Error).message}`,
          );
        }
      }
      if (!route.requestSchema) return;
      try {
        this.bodyValidators.set(route, compiler.compile(route.requestSchema));
      } catch (error) {
        throw new Error(
          `API ${api.name}: the requestSchema of route ${index} (${route.method} ${route.path}) does not compile: ${(error as Error).message}`,
        );
      }
    });
  }

  /** How many request schemas were compiled (once, at construction). */
  get compiledSchemas(): number {
    return this.bodyValidators.size;
  }

  check(request: GatewayRequest): ValidatedRequest {
    checkSize(request, this.limits);
    if (!this.routes) return { params: {} };
    const match = this.routes.match(request.method, request.path);
    if (!match) throw this.noRouteFor(request.path);
    const parameters = this.parameterValidators.get(match.route);
    if (parameters) {
      const violations = parameters.violations({ ...request, params: match.params });
      if (violations.length > 0) {
        throw validationFailed(violations.slice(0, MAX_REPORTED_VIOLATIONS), violations.length);
      }
    }
    const validate = this.bodyValidators.get(match.route);
    const bodyOptional = match.route.requestBodyRequired === false && request.body.length === 0;
    if (validate && !bodyOptional) checkJsonBody(request, validate, this.limits.maxJsonDepth);
    return { route: match.route, params: match.params };
  }

  private noRouteFor(path: string): DomainError {
    const routes = this.routes!;
    if (!routes.hasPath(path)) return new DomainError('not-found', `No route matches ${path} on this API.`);
    const allowed = HTTP_METHODS.filter((method) => routes.match(method, path) !== undefined).join(', ');
    return new DomainError(
      'method-not-allowed',
      `This path accepts only ${allowed}.`,
      {},
      { allow: allowed },
    );
  }
}

function checkSize(request: GatewayRequest, limits: RequestLimits): void {
  if (request.body.length > limits.maxBodyBytes) {
    throw new DomainError('payload-too-large', `The body may hold at most ${limits.maxBodyBytes} bytes.`);
  }
  let count = 0;
  let bytes = 0;
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    count++;
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value) + 4;
  }
  if (count > limits.maxHeaderCount) {
    throw new DomainError('bad-request', `A request may carry at most ${limits.maxHeaderCount} headers.`);
  }
  if (bytes > limits.maxHeaderBytes) {
    throw new DomainError('bad-request', `The headers may hold at most ${limits.maxHeaderBytes} bytes.`);
  }
  if (request.path.length > limits.maxPathLength) {
    throw new DomainError('bad-request', `The path may hold at most ${limits.maxPathLength} characters.`);
  }
  if (request.rawQueryString.length > limits.maxQueryLength) {
    throw new DomainError(
      'bad-request',
      `The query string may hold at most ${limits.maxQueryLength} characters.`,
    );
  }
}

function mediaType(headers: GatewayRequest['headers']): string | undefined {
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && name.toLowerCase() === 'content-type') {
      return value.split(';')[0]!.trim().toLowerCase();
    }
  }
  return undefined;
}

function checkJsonBody(request: GatewayRequest, validate: ValidateFunction, maxDepth: number): void {
  if (request.body.length === 0) {
    throw validationFailed([{ pointer: '/', message: 'a JSON body is required' }]);
  }
  const type = mediaType(request.headers);
  if (!type || !JSON_MEDIA_TYPE.test(type)) {
    throw new DomainError(
      'unsupported-media-type',
      `Send the body as application/json${type ? `, not ${type}` : ''}.`,
      {},
      { accept: 'application/json' },
    );
  }
  const body = parseJson(request.body, maxDepth);
  let valid: boolean;
  try {
    valid = validate(body) as boolean;
  } catch (error) {
    // A recursive schema walks the data recursively; the depth guard should make this unreachable.
    if (error instanceof RangeError) throw new DomainError('malformed-body', 'The body nests too deeply.');
    throw error;
  }
  if (!valid) {
    const errors = validate.errors ?? [];
    throw validationFailed(errors.slice(0, MAX_REPORTED_VIOLATIONS).map(toViolation), errors.length);
  }
}

/**
 * Parses without ever merging the result into anything: JSON.parse makes `__proto__` an own property,
 * so a hostile key cannot reach a prototype.
 */
function parseJson(bytes: Buffer, maxDepth: number): unknown {
  if (nestsDeeperThan(bytes, maxDepth)) {
    throw new DomainError('malformed-body', `The body nests deeper than ${maxDepth} levels.`);
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new DomainError('malformed-body', 'The body is not valid UTF-8.');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new DomainError('malformed-body', 'The body is not valid JSON.');
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/**
 * Counts bracket depth outside strings, on the raw bytes: in UTF-8 no byte of a multi-byte character
 * is ASCII, so these bytes mean what they seem. Stray closers do not lower the depth below zero, so
 * they cannot buy room for deeper nesting later.
 */
function nestsDeeperThan(bytes: Buffer, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_BRACKET || byte === OPEN_BRACE) {
      if (++depth > maxDepth) return true;
    } else if ((byte === CLOSE_BRACKET || byte === CLOSE_BRACE) && depth > 0) {
      depth--;
    }
  }
  return false;
}

/** `total` counts every violation found, of which only the first few are passed in. */
function validationFailed(violations: Violation[], total = violations.length): DomainError {
  const more = total - violations.length;
  const detail =
    violations.map((v) => `${v.pointer} ${v.message}`).join('; ') + (more > 0 ? `; and ${more} more` : '');
  return new DomainError('validation-failed', detail, { errors: violations });
}
