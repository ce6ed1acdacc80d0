import type { Violation } from '../kernel/validation.ts';

/** A query, header or path parameter of a route, checked by the gateway before the upstream call. */
export interface RouteParameter {
  name: string;
  in: 'query' | 'header' | 'path';
  /** Path parameters are always required, whatever this says. */
  required?: boolean;
  /** The value, a string on the wire, is coerced to this schema's type before it is checked. */
  schema?: Record<string, unknown>;
  description?: string;
  example?: unknown;
}

export const PARAMETER_LOCATIONS = ['query', 'header', 'path'] as const;

export const MAX_ROUTE_PARAMETERS = 50;

export const routeParameterSchema = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 128 },
    in: { enum: [...PARAMETER_LOCATIONS] },
    required: { type: 'boolean' },
    schema: { type: 'object', maxProperties: 200 },
    description: { type: 'string', maxLength: 2000 },
    example: {},
  },
  required: ['name', 'in'],
  additionalProperties: false,
} as const;

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/;

/** The names of a path template's `{param}` and `{param+}` segments. */
export const templateParameters = (path: string): string[] =>
  [...path.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\+?\}/g)].map((m) => m[1]!);

/**
 * What the definition schema cannot say about a route's parameters: a header parameter is named as a
 * header may be, a path parameter names a segment of the template, and no parameter is declared twice
 * (header names compared case-insensitively, as HTTP does).
 */
export function parameterViolations(
  path: string,
  parameters: readonly RouteParameter[],
  at: string,
): Violation[] {
  const violations: Violation[] = [];
  const inTemplate = new Set(templateParameters(path));
  const seen = new Set<string>();
  parameters.forEach((parameter, i) => {
    const key = `${parameter.in}:${parameter.in === 'header' ? parameter.name.toLowerCase() : parameter.name}`;
    if (seen.has(key)) violations.push({ pointer: `${at}/${i}`, message: 'is declared twice' });
    seen.add(key);
    if (parameter.in === 'header' && !HEADER_NAME.test(parameter.name)) {
      violations.push({ pointer: `${at}/${i}/name`, message: 'is not a header name' });
    }
    if (parameter.in === 'path' && !inTemplate.has(parameter.name)) {
      violations.push({ pointer: `${at}/${i}/name`, message: `names no segment of ${path}` });
    }
  });
  return violations;
}
