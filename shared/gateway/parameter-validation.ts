import type { Ajv, ValidateFunction } from 'ajv';
import { newAjv } from '../kernel/ajv.ts';
import { toViolation, type Violation } from '../kernel/validation.ts';
import { PARAMETER_LOCATIONS, type RouteParameter } from './route-parameters.ts';

type Location = (typeof PARAMETER_LOCATIONS)[number];

/** What a request offers for parameter checks: every value is a string, as on the wire. */
export interface ParameterSources {
  rawQueryString: string;
  headers: Record<string, string | undefined>;
  /** Decoded path parameters of the matched route. */
  params: Record<string, string>;
}

/**
 * Values are strings on the wire: `coerceTypes: 'array'` turns `"10"` into the integer a schema asks
 * for, a lone value into a one-item array and a repeated one into an array (so a repeated scalar
 * parameter fails). Coercion rewrites the object handed to Ajv, never the request itself.
 */
export function parameterAjv(): Ajv {
  return newAjv({ allErrors: true, strict: false, coerceTypes: 'array', validateSchema: false });
}

/** One schema per location: an object whose properties are the parameters declared there. */
function locationSchema(parameters: readonly RouteParameter[], location: Location) {
  const declared = parameters.filter((p) => p.in === location);
  if (declared.length === 0) return undefined;
  const key = (p: RouteParameter) => (location === 'header' ? p.name.toLowerCase() : p.name);
  return {
    type: 'object',
    properties: Object.fromEntries(declared.map((p) => [key(p), p.schema ?? {}])),
    required: declared.filter((p) => p.required || location === 'path').map(key),
  };
}

function queryValues(rawQueryString: string): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = Object.create(null);
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    const seen = values[name];
    values[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return values;
}

function headerValues(headers: ParameterSources['headers']): Record<string, string> {
  const values: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) values[name.toLowerCase()] = value;
  }
  return values;
}

/**
 * The checks of one route's declared parameters, compiled once per API revision. Violations point at
 * `/query/<name>`, `/header/<name>` or `/path/<name>`.
 */
export class ParameterValidator {
  private readonly checks: { location: Location; validate: ValidateFunction }[] = [];

  /** `ajv` may be shared by the routes of one API revision, unless a parameter schema declares an `$id`. */
  constructor(parameters: readonly RouteParameter[], ajv: Ajv = parameterAjv()) {
    for (const location of PARAMETER_LOCATIONS) {
      const schema = locationSchema(parameters, location);
      if (schema) this.checks.push({ location, validate: ajv.compile(schema) });
    }
  }

  violations(request: ParameterSources): Violation[] {
    const found: Violation[] = [];
    for (const { location, validate } of this.checks) {
      const values =
        location === 'query'
          ? queryValues(request.rawQueryString)
          : location === 'header'
            ? headerValues(request.headers)
            : { ...request.params };
      if (validate(values)) continue;
      for (const error of validate.errors ?? []) {
        const violation = toViolation(error);
        found.push({
          pointer: `/${location}${violation.pointer === '/' ? '' : violation.pointer}`,
          message: violation.message,
        });
      }
    }
    return found;
  }
}
