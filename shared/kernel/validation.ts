import { Ajv, type ErrorObject, type Schema } from 'ajv';
import addFormats from 'ajv-formats';
import { DomainError } from './errors.ts';

const ajv = new Ajv({ allErrors: true, strict: true });
addFormats.default(ajv);

export interface Violation {
  pointer: string;
  message: string;
}

export const toViolation = (e: ErrorObject): Violation => {
  if (e.keyword === 'required')
    return { pointer: `${e.instancePath}/${e.params.missingProperty}`, message: 'is required' };
  if (e.keyword === 'additionalProperties') {
    return { pointer: `${e.instancePath}/${e.params.additionalProperty}`, message: 'is not allowed' };
  }
  return { pointer: e.instancePath || '/', message: e.message ?? 'is invalid' };
};

/**
 * Compiles a JSON Schema once; the returned function throws a 400 listing every violation. The schema
 * is plain JSON Schema (it is also published in the OpenAPI document), and `T` is what it guarantees.
 */
export function bodyValidator<T>(schema: Schema): (body: unknown) => T {
  const validate = ajv.compile<T>(schema);
  return (body) => {
    if (validate(body)) return body;
    const errors = (validate.errors ?? []).map(toViolation);
    throw new DomainError('validation-failed', errors.map((e) => `${e.pointer} ${e.message}`).join('; '), {
      errors,
    });
  };
}
