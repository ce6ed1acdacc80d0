import type { Ajv, ValidateFunction } from 'ajv';
import type { GenerateSyncOptions } from 'json-schema-faker';
import { newAjv } from '../../kernel/ajv.ts';
import { schemaToGenerateFrom } from './generation-schema.ts';

/**
 * A sample value for a JSON Schema, for mock answers: generated with json-schema-faker and always
 * checked with Ajv, so a value that does not validate is never handed out. Pure apart from the
 * per-schema caches; never throws.
 */
export type SchemaSample = { ok: true; value: unknown } | { ok: false };

export const MAX_SAMPLE_ATTEMPTS = 5;

/**
 * Work one call may spend on generation, over all its attempts: a generated value costs VALUE_WORK
 * and a string one more per character, roughly what each takes json-schema-faker (some 10 µs a value,
 * under 1 µs a character). A schema nesting wide arrays many levels deep thus costs a call about
 * 100 ms at worst, and yields no sample.
 */
export const MAX_SAMPLING_WORK = 100_000;
const VALUE_WORK = 16;

/**
 * Chosen by trial: with the library's defaults, optional recursive properties come out `null` at the
 * depth limit. Its min/max length/items options override the schema's own, so they stay unset. Only
 * options are passed: the library's global registries (`registerFormat`, `define`) are shared by the
 * whole process.
 */
const GENERATION_OPTIONS = {
  maxDepth: 8,
  // Required recursive members (a tree whose nodes must have children) need room to bottom out.
  refDepthMax: 6,
  maxDefaultItems: 5,
  useExamplesValue: true,
  useDefaultValue: true,
} as const satisfies GenerateSyncOptions;

interface PreparedSchema {
  validate: ValidateFunction;
  generateFrom: Record<string, unknown>;
}

let ajv: Ajv | undefined;

/**
 * Each schema is dropped from Ajv once compiled (its validator keeps working), also when compiling
 * failed: Ajv then holds on to no schema it has seen, and two schemas with the same `$id` (say, two
 * revisions of one definition) do not collide.
 */
function compile(schema: Record<string, unknown>): ValidateFunction {
  ajv ??= newAjv({ strict: false });
  try {
    return ajv.compile(schema);
  } finally {
    ajv.removeSchema(schema);
  }
}

let faker: typeof import('json-schema-faker') | undefined;

/**
 * Loads json-schema-faker, once: the first mock answer does, not a cold start (it is an ESM-only
 * package, so an `import()`, and kept beside the bundle). Sampling before it is loaded fails.
 */
export async function loadSampler(): Promise<void> {
  faker ??= await import('json-schema-faker');
}

/** `null`: the schema cannot be sampled (it does not compile, or generation could not be bounded). */
const prepared = new WeakMap<object, PreparedSchema | null>();

function prepare(schema: Record<string, unknown>): PreparedSchema | null {
  const known = prepared.get(schema);
  if (known !== undefined) return known;
  let result: PreparedSchema | null = null;
  try {
    const validate = compile(schema);
    const generateFrom = schemaToGenerateFrom(schema);
    if (generateFrom) result = { validate, generateFrom };
  } catch {
    result = null;
  }
  prepared.set(schema, result);
  return result;
}

class WorkExhausted extends Error {}

/**
 * A JSON-safe value (what the client will parse), or undefined when this attempt failed. Charges
 * `work` as values come out and stops when it runs out.
 */
function generateOnce(schema: Record<string, unknown>, seed: number, work: { left: number }): unknown {
  const charge = (value: unknown) => {
    work.left -= VALUE_WORK + (typeof value === 'string' ? value.length : 0);
    if (work.left < 0) throw new WorkExhausted();
    return value;
  };
  try {
    if (!faker) throw new Error('json-schema-faker is not loaded (loadSampler)');
    const value = faker.generateSync(schema, { ...GENERATION_OPTIONS, seed, outputTransform: charge });
    const json = JSON.stringify(value);
    // Validating the parsed JSON catches what JSON cannot carry (undefined, NaN, Infinity).
    return json === undefined ? undefined : JSON.parse(json);
  } catch {
    return undefined;
  }
}

/**
 * Up to MAX_SAMPLE_ATTEMPTS generations, each seeded from `random`, so a seeded `random` gives the same
 * sample every time. The first value that validates wins.
 */
export function sampleFromSchema(
  schema: Record<string, unknown>,
  random: () => number = Math.random,
): SchemaSample {
  if (typeof schema !== 'object' || schema === null) return { ok: false };
  const schemaPrepared = prepare(schema);
  if (!schemaPrepared) return { ok: false };
  const work = { left: MAX_SAMPLING_WORK };
  try {
    for (let attempt = 0; attempt < MAX_SAMPLE_ATTEMPTS && work.left >= 0; attempt++) {
      const value = generateOnce(schemaPrepared.generateFrom, Math.floor(random() * 2 ** 31), work);
      if (value !== undefined && schemaPrepared.validate(value)) return { ok: true, value };
    }
  } catch {
    // A throwing `random` (or validator) ends sampling like a failed attempt.
  }
  return { ok: false };
}
