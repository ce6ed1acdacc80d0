import type { Ajv, ErrorObject, Schema, ValidateFunction } from 'ajv';
import { newAjv } from './ajv.ts';
import { DomainError } from './errors.ts';

/** Made on first use: a function that never validates a body (most at cold start) pays nothing for it. */
let ajv: Ajv | undefined;
const validator = (): Ajv => {
  ajv ??= newAjv({ allErrors: true, strict: true });
  return ajv;
};

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
  // Compiled when first needed, not when the module loads (a cold start compiles nothing it does not use).
  let validate: ValidateFunction<T> | undefined;
  return (body) => {
    validate ??= validator().compile<T>(schema);
    if (validate(body)) return body;
    const errors = (validate.errors ?? []).map(toViolation);
    throw new DomainError('validation-failed', errors.map((e) => `${e.pointer} ${e.message}`).join('; '), {
      errors,
    });
  };
}
