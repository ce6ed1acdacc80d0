import { describe, expect, it } from 'vitest';
import { resolvePointer } from '../../docs/refs.ts';
import { schemaTree } from '../../docs/schema-rows.ts';
import { payloadSchemaOf, topicDocument } from './topic-document.ts';

describe('topicDocument', () => {
  it('lets the schema’s local references resolve', () => {
    const schema = {
      type: 'object',
      required: ['item'],
      properties: { item: { $ref: '#/$defs/item' } },
      $defs: { item: { type: 'object', properties: { sku: { type: 'string' } } } },
    };
    const document = topicDocument('orders.created', schema);
    expect(resolvePointer(document, '#/$defs/item')).toEqual(schema.$defs.item);
    const tree = schemaTree(document, payloadSchemaOf(schema));
    expect(tree.rows.map((row) => row.name)).toEqual(['item']);
    expect(tree.rows[0]?.children.map((row) => row.name)).toEqual(['sku']);
  });

  it('needs nothing for a schema without definitions', () => {
    expect(topicDocument('orders.created', { type: 'object' })).toEqual({
      openapi: '3.1.0',
      info: { title: 'orders.created', version: '1' },
    });
  });
});
