import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GENERATION_LIMITS, patternLengthBound, schemaToGenerateFrom } from './generation-schema.ts';

describe('schemaToGenerateFrom', () => {
  it('copies the schema, leaving the original untouched', () => {
    const schema = { type: 'array', maxItems: 500, items: { type: 'string', maxLength: 1e9 } };
    const original = structuredClone(schema);
    const copy = schemaToGenerateFrom(schema);
    expect(schema).toEqual(original);
    expect(copy).toEqual({
      type: 'array',
      maxItems: GENERATION_LIMITS.arrayItems,
      items: { type: 'string', maxLength: GENERATION_LIMITS.stringLength },
    });
  });

  it('never lowers a maximum below the schema’s own minimum', () => {
    expect(schemaToGenerateFrom({ minItems: 50, maxItems: 500, minLength: 2000, maxLength: 5000 })).toEqual({
      minItems: 50,
      maxItems: 50,
      minLength: 2000,
      maxLength: 2000,
    });
  });

  it('leaves ordinary schemas as they are', () => {
    fc.assert(
      fc.property(
        fc.record({
          type: fc.constantFrom('string', 'array'),
          minLength: fc.nat({ max: 100 }),
          maxLength: fc.integer({ min: 100, max: GENERATION_LIMITS.stringLength }),
          maxItems: fc.nat({ max: GENERATION_LIMITS.arrayItems }),
          minimum: fc.integer({ min: -999, max: 999 }),
          pattern: fc.constantFrom('^[a-z]+$', '^\\d{4}-\\d{2}-\\d{2}$', '^(ab|cd)*$'),
        }),
        (schema) => {
          expect(schemaToGenerateFrom(schema)).toEqual(schema);
        },
      ),
    );
  });

  it('gives a one-sided number range the library would miss its other side', () => {
    expect(schemaToGenerateFrom({ type: 'integer', minimum: 1900 })).toEqual({
      type: 'integer',
      minimum: 1900,
      maximum: 2900,
    });
    expect(schemaToGenerateFrom({ exclusiveMaximum: -5000 })).toEqual({
      exclusiveMaximum: -5000,
      minimum: -6000,
    });
    expect(schemaToGenerateFrom({ minimum: 5 })).toEqual({ minimum: 5 });
  });

  it('refuses schemas demanding more than generation can afford', () => {
    const limits = GENERATION_LIMITS;
    for (const schema of [
      { minLength: limits.maxMinLength + 1 },
      { minItems: limits.maxMinCount + 1 },
      { minProperties: limits.maxMinCount + 1 },
      { contains: {}, minContains: limits.maxMinCount + 1 },
      { properties: { deep: { items: { minItems: 1e9 } } } },
      { pattern: '^x{20000}$' },
    ]) {
      expect(schemaToGenerateFrom(schema)).toBeUndefined();
    }
  });

  it('refuses a schema that reaches itself without passing a property or an item', () => {
    for (const schema of [
      { allOf: [{ $ref: '#' }] },
      { oneOf: [{ type: 'string' }, { $ref: '#' }] },
      { anyOf: [{ $ref: '#/$defs/a' }], $defs: { a: { allOf: [{ $ref: '#' }] } } },
      { $defs: { a: { $ref: '#/$defs/b' }, b: { not: { $ref: '#/$defs/a' } } }, $ref: '#/$defs/a' },
      { definitions: { 'a/b': { if: { $ref: '#/definitions/a~1b' } } }, $ref: '#/definitions/a~1b' },
      { properties: { x: { $id: 'https://example.com/x', allOf: [{ $ref: 'https://example.com/x' }] } } },
      // json-schema-faker scopes $defs per subschema, so this one loops there too.
      { properties: { x: { $defs: { n: { allOf: [{ $ref: '#/$defs/n' }] } }, $ref: '#/$defs/n' } } },
    ]) {
      expect(schemaToGenerateFrom(schema)).toBeUndefined();
    }
  });

  it('accepts recursion through properties and items', () => {
    for (const schema of [
      { type: 'object', properties: { next: { $ref: '#' } } },
      { type: 'array', items: { oneOf: [{ type: 'integer' }, { $ref: '#' }] } },
      {
        $defs: { node: { properties: { kids: { items: { $ref: '#/$defs/node' } } } } },
        $ref: '#/$defs/node',
      },
    ]) {
      expect(schemaToGenerateFrom(schema)).toBeDefined();
    }
  });

  it('refuses a cyclic object graph but keeps shared parts', () => {
    const cyclic: Record<string, unknown> = { type: 'object' };
    cyclic.properties = { self: cyclic };
    expect(schemaToGenerateFrom(cyclic)).toBeUndefined();
    const shared = { type: 'string' };
    expect(schemaToGenerateFrom({ properties: { a: shared, b: shared } })).toEqual({
      properties: { a: shared, b: shared },
    });
  });
});

describe('patternLengthBound', () => {
  it.each([
    ['^abc$', 5],
    ['^\\d{4}-\\d{2}$', 9],
    ['[a-z]+', 5],
    ['a*b?', 6],
    ['x{3,}', 8],
    ['x{2,4}', 4],
    ['x{10,100}', 15],
    ['(ab|cde)+', 15],
    ['((a{10}){10}){10}', 1000],
    ['[\\]]{3}', 3],
    ['(?:ab){2}', 4],
    ['(?<year>\\d{4})', 4],
    ['a{1,', 4],
  ])('%s is at most %i long', (pattern, bound) => {
    expect(patternLengthBound(pattern)).toBe(bound);
  });
});
