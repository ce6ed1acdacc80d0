import { describe, expect, it } from 'vitest';
import { exampleFromSchema, exampleOfMedia, parameterExample } from './examples.ts';
import type { OpenApiDocument } from './openapi.ts';

const document = {
  openapi: '3.1.0',
  info: { title: 'pets', version: '1' },
  components: {
    schemas: {
      Pet: {
        type: 'object',
        properties: {
          id: { type: 'string', format: 'uuid', readOnly: true },
          name: { type: 'string', example: 'Rex' },
          age: { type: 'integer', minimum: 1 },
          kind: { enum: ['dog', 'cat'] },
          born: { type: 'string', format: 'date' },
          vaccinated: { type: ['boolean', 'null'] },
          parent: { $ref: '#/components/schemas/Pet' },
          tags: { type: 'array', items: { type: 'string' } },
        },
      },
    },
    examples: { Cat: { value: { name: 'Tom' } } },
  },
} as unknown as OpenApiDocument;

describe('examples', () => {
  it('builds a value from a schema, leaving out read-only fields and the schema inside itself', () => {
    expect(exampleFromSchema(document, { $ref: '#/components/schemas/Pet' })).toEqual({
      name: 'Rex',
      age: 1,
      kind: 'dog',
      born: '2025-01-31',
      vaccinated: true,
      tags: ['string'],
    });
  });

  it('prefers the document’s own examples', () => {
    expect(exampleOfMedia(document, { example: { a: 1 } })).toEqual({
      value: { a: 1 },
      name: undefined,
      generated: false,
    });
    expect(exampleOfMedia(document, { examples: { cat: { $ref: '#/components/examples/Cat' } } })).toEqual({
      value: { name: 'Tom' },
      name: 'cat',
      generated: false,
    });
    expect(
      exampleOfMedia(document, { schema: { type: 'object', properties: { n: { type: 'number' } } } }),
    ).toEqual({
      value: { n: 0 },
      name: undefined,
      generated: true,
    });
    expect(exampleOfMedia(document, {})).toBeUndefined();
  });

  it('gives a parameter’s example only when the document has one, guessing none for optional ones', () => {
    expect(parameterExample(document, { name: 'id', in: 'path', example: 'o-42' })).toBe('o-42');
    expect(
      parameterExample(document, { name: 'q', in: 'query', schema: { type: 'string', example: 'rex' } }),
    ).toBe('rex');
    expect(
      parameterExample(document, {
        name: 'n',
        in: 'query',
        required: true,
        schema: { type: 'integer', default: 10 },
      }),
    ).toBe('10');
    expect(parameterExample(document, { name: 'e', in: 'path', schema: { enum: ['items'] } })).toBe('items');
    expect(
      parameterExample(document, { name: 'e', in: 'query', schema: { enum: ['items'] } }),
    ).toBeUndefined();
    expect(
      parameterExample(document, { name: 'q', in: 'query', schema: { type: 'string' } }),
    ).toBeUndefined();
  });
});
