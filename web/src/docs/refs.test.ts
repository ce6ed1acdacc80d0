import { describe, expect, it } from 'vitest';
import type { OpenApiDocument } from './openapi.ts';
import { deref, refName, resolvePointer } from './refs.ts';

const document = {
  openapi: '3.1.0',
  info: { title: 't', version: '1' },
  components: {
    schemas: {
      Pet: { type: 'object', properties: { name: { type: 'string' } } },
      Alias: { $ref: '#/components/schemas/Pet' },
      'a/b': { type: 'string' },
      Loop: { $ref: '#/components/schemas/Loop' },
    },
  },
} as unknown as OpenApiDocument;

describe('references', () => {
  it('resolves local pointers, escaped names included', () => {
    expect(resolvePointer(document, '#/components/schemas/Pet')).toMatchObject({ type: 'object' });
    expect(resolvePointer(document, '#/components/schemas/a~1b')).toEqual({ type: 'string' });
    expect(resolvePointer(document, '#/components/schemas/Missing')).toBeUndefined();
    expect(resolvePointer(document, 'https://elsewhere.example/schema.json')).toBeUndefined();
  });

  it('follows chains of references and stops at a circle', () => {
    expect(deref(document, { $ref: '#/components/schemas/Alias' })).toMatchObject({ type: 'object' });
    expect(deref(document, { $ref: '#/components/schemas/Loop' })).toBeUndefined();
    expect(deref(document, { type: 'integer' })).toEqual({ type: 'integer' });
  });

  it('names a reference by its last segment', () => {
    expect(refName('#/components/schemas/Pet')).toBe('Pet');
    expect(refName('#/components/schemas/a~1b')).toBe('a/b');
  });
});
