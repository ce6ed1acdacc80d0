import { describe, expect, it } from 'vitest';
import type { OpenApiDocument, SchemaObject } from './openapi.ts';
import { constraintsOf, schemaTree, typeLabel } from './schema-rows.ts';

const document = {
  openapi: '3.1.0',
  info: { title: 'pets', version: '1' },
  components: {
    schemas: {
      Pet: {
        type: 'object',
        description: 'A pet.',
        required: ['name'],
        properties: {
          name: { type: 'string', minLength: 1 },
          tag: { type: ['string', 'null'], description: 'Free text.' },
          owner: { $ref: '#/components/schemas/Owner', description: 'Who looks after it.' },
          children: { type: 'array', items: { $ref: '#/components/schemas/Pet' } },
        },
      },
      Owner: {
        type: 'object',
        description: 'A person.',
        properties: { id: { type: 'string', format: 'uuid' } },
      },
      Named: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
    },
  },
} as unknown as OpenApiDocument;

const ref = (name: string): SchemaObject => ({ $ref: `#/components/schemas/${name}` });

describe('a schema as rows', () => {
  it('lists an object’s properties with their type, requirement, description and rules', () => {
    const tree = schemaTree(document, ref('Pet'));
    expect(tree.type).toBe('Pet');
    expect(tree.description).toBe('A pet.');
    expect(tree.rows.map((row) => [row.name, row.type, row.required])).toEqual([
      ['name', 'string', true],
      ['tag', 'string | null', false],
      ['owner', 'Owner', false],
      ['children', 'array of Pet', false],
    ]);
    expect(tree.rows[0]!.constraints).toEqual(['at least 1 characters']);
  });

  it('unfolds referenced objects, keeping a property’s own description', () => {
    const owner = schemaTree(document, ref('Pet')).rows[2]!;
    expect(owner.description).toBe('Who looks after it.');
    expect(owner.children).toEqual([
      {
        name: 'id',
        type: 'string',
        required: false,
        deprecated: false,
        description: undefined,
        constraints: ['format: uuid'],
        children: [],
      },
    ]);
  });

  it('unfolds array items, but not a schema inside itself', () => {
    const children = schemaTree(document, ref('Pet')).rows[3]!;
    expect(children.children).toEqual([]);
    const list = schemaTree(document, { type: 'array', items: ref('Pet') });
    expect(list.type).toBe('array of Pet');
    expect(list.rows.map((row) => row.name)).toEqual(['name', 'tag', 'owner', 'children']);
  });

  it('folds allOf into one object', () => {
    const tree = schemaTree(document, {
      allOf: [ref('Named'), { type: 'object', properties: { age: { type: 'integer', minimum: 0 } } }],
    });
    expect(tree.type).toBe('object');
    expect(tree.rows.map((row) => [row.name, row.required, row.constraints])).toEqual([
      ['name', true, []],
      ['age', false, ['≥ 0']],
    ]);
  });

  it('shows variants as options, and other keys of a map', () => {
    const variants = schemaTree(document, { oneOf: [ref('Owner'), { type: 'string' }] });
    expect(variants.type).toBe('Owner | string');
    expect(variants.rows.map((row) => [row.name, row.type])).toEqual([
      ['option 1', 'Owner'],
      ['option 2', 'string'],
    ]);
    const map = schemaTree(document, { type: 'object', additionalProperties: { type: 'integer' } });
    expect(map.rows.map((row) => [row.name, row.type])).toEqual([['{any other key}', 'integer']]);
  });
});

describe('type labels and rules', () => {
  it('names types without a type keyword', () => {
    expect(typeLabel(document, {})).toBe('any');
    expect(typeLabel(document, { enum: ['a', 'b'] })).toBe('string');
    expect(typeLabel(document, { properties: {} })).toBe('object');
    expect(typeLabel(document, { type: 'array', items: { type: 'integer' } })).toBe('array of integer');
  });

  it('phrases each rule', () => {
    expect(
      constraintsOf({
        enum: ['items', 1],
        pattern: '^o-',
        maximum: 10,
        maxItems: 3,
        uniqueItems: true,
        default: 'items',
        additionalProperties: false,
      }),
    ).toEqual([
      'one of: "items", 1',
      'pattern: ^o-',
      '≤ 10',
      'at most 3 items',
      'unique items',
      'no other properties',
      'default: "items"',
    ]);
  });
});
