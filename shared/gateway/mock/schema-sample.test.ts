import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSampler, sampleFromSchema } from './schema-sample.ts';

beforeAll(loadSampler);

type Schema = Record<string, unknown>;

/** An independent checker, so the test does not trust the module's own. */
const checker = new Ajv({ strict: false });
addFormats.default(checker);
const validates = (schema: Schema, value: unknown): boolean => {
  const valid = checker.validate(schema, value) as boolean;
  checker.removeSchema(schema);
  return valid;
};

/** A small linear congruential generator: a seeded stand-in for Math.random. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const primitive = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.integer({ min: -1000, max: 1000 }),
  fc.boolean(),
  fc.constant(null),
);

const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const stringSchema = fc.oneof(
  fc.record({ type: fc.constant('string'), format: fc.constantFrom('date-time', 'email', 'uuid') }),
  fc.tuple(optional(fc.nat({ max: 20 })), optional(fc.nat({ max: 20 }))).map(([min, extra]) => {
    const schema: Schema = { type: 'string' };
    if (min !== undefined) schema.minLength = min;
    if (extra !== undefined) schema.maxLength = (min ?? 0) + extra;
    return schema;
  }),
);

/** Either side of the range may be missing, also where the library's default range does not reach. */
const numberSchema = fc
  .tuple(
    fc.constantFrom('integer', 'number'),
    optional(fc.integer({ min: -100_000, max: 100_000 })),
    optional(fc.integer({ min: 0, max: 100_000 })),
  )
  .map(([type, minimum, width]) => {
    const schema: Schema = { type };
    if (minimum !== undefined) schema.minimum = minimum;
    if (width !== undefined) schema.maximum = (minimum ?? -width) + width;
    return schema;
  });

const leafSchema: fc.Arbitrary<Schema> = fc.oneof(
  stringSchema,
  numberSchema,
  fc.constant({ type: 'boolean' }),
  fc.constant({ type: 'null' }),
  fc.uniqueArray(primitive, { minLength: 1, maxLength: 4, selector: (v) => JSON.stringify(v) }).map((e) => ({
    enum: e,
  })),
  primitive.map((value) => ({ const: value })),
);

const PROPERTY_NAMES = ['id', 'name', 'tags', 'createdAt', 'owner', 'count'];

function schemaOfDepth(depth: number): fc.Arbitrary<Schema> {
  if (depth === 0) return leafSchema;
  const inner = schemaOfDepth(depth - 1);
  const objectSchema = fc
    .uniqueArray(fc.constantFrom(...PROPERTY_NAMES), { minLength: 1, maxLength: 4 })
    .chain((names) =>
      fc.tuple(fc.tuple(...names.map(() => inner)), fc.subarray(names), fc.boolean(), fc.constant(names)),
    )
    .map(([schemas, required, closed, names]) => {
      const schema: Schema = {
        type: 'object',
        properties: Object.fromEntries(names.map((name, i) => [name, schemas[i]])),
        required,
      };
      if (closed) schema.additionalProperties = false;
      return schema;
    });
  const arraySchema = fc
    .tuple(inner, optional(fc.nat({ max: 4 })), optional(fc.nat({ max: 4 })))
    .map(([items, min, extra]) => {
      const schema: Schema = { type: 'array', items };
      if (min !== undefined) schema.minItems = min;
      if (extra !== undefined) schema.maxItems = (min ?? 0) + extra;
      return schema;
    });
  // Branches of distinct types, so that exactly one can match.
  const oneOfSchema = fc
    .shuffledSubarray(['string', 'integer', 'boolean', 'null', 'array', 'object'] as const, {
      minLength: 2,
      maxLength: 3,
    })
    .map((types) => ({
      oneOf: types.map((type) =>
        type === 'array'
          ? { type, items: { type: 'integer' }, maxItems: 3 }
          : type === 'object'
            ? { type, properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'] }
            : { type },
      ),
    }));
  return fc.oneof(leafSchema, objectSchema, arraySchema, oneOfSchema);
}

const anySchema = schemaOfDepth(3);

describe('sampleFromSchema', () => {
  it('only ever hands out values that validate, and samples nearly every schema of the grammar', () => {
    let runs = 0;
    let sampled = 0;
    fc.assert(
      fc.property(anySchema, fc.integer(), (schema, seed) => {
        runs++;
        const sample = sampleFromSchema(schema, lcg(seed));
        if (!sample.ok) return;
        sampled++;
        expect(validates(schema, sample.value)).toBe(true);
      }),
      { numRuns: 300 },
    );
    expect(sampled / runs).toBeGreaterThanOrEqual(0.95);
  });

  it('gives the same sample twice for the same seeded random', () => {
    fc.assert(
      fc.property(anySchema, fc.integer(), (schema, seed) => {
        expect(sampleFromSchema(schema, lcg(seed))).toEqual(sampleFromSchema(schema, lcg(seed)));
      }),
      { numRuns: 100 },
    );
  });

  it('varies the sample with the random source', () => {
    const schema = { type: 'string', minLength: 10, maxLength: 20 };
    const values = new Set(
      [1, 2, 3, 4, 5].map((seed) => JSON.stringify(sampleFromSchema(schema, lcg(seed)))),
    );
    expect(values.size).toBeGreaterThan(1);
  });

  it.each([
    ['optional', ['name']],
    ['mandatory', ['name', 'children']],
  ])('nearly always samples a tree whose children are %s', (_kind, required) => {
    const tree = {
      type: 'object',
      properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#' } } },
      required,
    };
    let sampled = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const sample = sampleFromSchema(tree, lcg(seed));
      if (!sample.ok) continue;
      sampled++;
      expect(validates(tree, sample.value)).toBe(true);
    }
    expect(sampled).toBeGreaterThanOrEqual(36);
  });

  it('prefers the schema’s examples and defaults', () => {
    expect(sampleFromSchema({ type: 'string', examples: ['hello'] })).toEqual({ ok: true, value: 'hello' });
    expect(sampleFromSchema({ type: 'integer', default: 7 })).toEqual({ ok: true, value: 7 });
    const order = {
      type: 'object',
      properties: {
        id: { type: 'string', examples: ['ord_42'] },
        status: { type: 'string', examples: ['paid'] },
      },
      required: ['id', 'status'],
    };
    expect(sampleFromSchema(order, lcg(1))).toEqual({ ok: true, value: { id: 'ord_42', status: 'paid' } });
  });

  it('never hands out an example that does not validate', () => {
    expect(sampleFromSchema({ type: 'integer', examples: ['not a number'] }).ok).toBe(false);
  });

  it('refuses schemas that do not compile', () => {
    for (const schema of [
      { type: 'no-such-type' },
      { type: 'object', properties: 5 },
      { $ref: '#/$defs/missing' },
      { $ref: 'https://example.com/remote.json' },
      { $schema: 'https://example.com/unknown-meta-schema' },
    ]) {
      expect(sampleFromSchema(schema)).toEqual({ ok: false });
    }
  });

  it('refuses schemas no value satisfies', () => {
    for (const schema of [
      { type: 'string', minLength: 5, maxLength: 2 },
      { allOf: [{ type: 'string' }, { type: 'integer' }] },
      { not: {} },
      { type: 'object', properties: { a: false }, required: ['a'] },
    ]) {
      expect(sampleFromSchema(schema)).toEqual({ ok: false });
    }
  });

  it('samples a schema with a number range beyond the library’s default one', () => {
    for (const schema of [
      { type: 'integer', minimum: 1900 },
      { type: 'number', exclusiveMaximum: -5000 },
    ]) {
      const sample = sampleFromSchema(schema, lcg(3));
      expect(sample.ok).toBe(true);
      if (sample.ok) expect(validates(schema, sample.value)).toBe(true);
    }
  });

  it('keeps samples of schemas allowing huge values small, and still valid', () => {
    const schema = {
      type: 'array',
      maxItems: 1_000_000,
      items: { type: 'string', maxLength: 1_000_000_000 },
    };
    const sample = sampleFromSchema(schema, lcg(5));
    expect(sample.ok).toBe(true);
    if (!sample.ok) return;
    expect(validates(schema, sample.value)).toBe(true);
    expect(JSON.stringify(sample.value).length).toBeLessThan(20_000);
  });

  it('gives up quickly, without throwing, on schemas generation could not finish', () => {
    const pathological: Schema[] = [
      { allOf: [{ $ref: '#' }] },
      { oneOf: [{ $ref: '#' }] },
      { $defs: { x: { allOf: [{ $ref: '#/$defs/x' }] } }, $ref: '#/$defs/x' },
      { type: 'string', minLength: 1_000_000_000 },
      { type: 'array', minItems: 1_000_000_000 },
      { type: 'string', pattern: '^a{100000000}$' },
      { type: 'string', pattern: '^(((((((((a+)+)+)+)+)+)+)+)+)$' },
      { $defs: { a: { type: 'array', minItems: 10, items: { $ref: '#/$defs/a' } } }, $ref: '#/$defs/a' },
    ];
    for (const schema of pathological) {
      const started = performance.now();
      expect(sampleFromSchema(schema)).toEqual({ ok: false });
      expect(performance.now() - started).toBeLessThan(2000);
    }
  });

  it('does not let two schemas with the same $id collide', () => {
    const tree = () => ({
      $id: 'https://schemas.example.com/tree',
      type: 'object',
      properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#' } } },
      required: ['name'],
    });
    const broken = { $id: 'https://schemas.example.com/tree', properties: { a: { $ref: '#/nowhere' } } };
    expect(sampleFromSchema(tree()).ok).toBe(true);
    expect(sampleFromSchema(broken).ok).toBe(false);
    expect(sampleFromSchema(tree()).ok).toBe(true);
  });

  it('never throws, whatever object it is given', () => {
    fc.assert(
      fc.property(fc.object(), fc.integer(), (schema, seed) => {
        const sample = sampleFromSchema(schema as Schema, lcg(seed));
        if (sample.ok) expect(validates(schema as Schema, sample.value)).toBe(true);
      }),
      { numRuns: 200 },
    );
    const cyclic: Schema = { type: 'object' };
    cyclic.properties = { self: cyclic };
    const hostile = Object.defineProperty({}, 'type', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    for (const schema of [cyclic, hostile, null, undefined, 'string', [] as unknown]) {
      expect(sampleFromSchema(schema as Schema)).toEqual({ ok: false });
    }
    expect(
      sampleFromSchema({ type: 'string' }, () => {
        throw new Error('no randomness today');
      }),
    ).toEqual({ ok: false });
  });
});
