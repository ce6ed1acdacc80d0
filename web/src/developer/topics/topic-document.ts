import type { OpenApiDocument, SchemaObject } from '../../docs/openapi.ts';

/**
 * A document the reference's schema view can read a topic's payload schema in: the schema's own
 * `$defs` (and draft-07 `definitions`) sit at its root, where its local `$ref`s point.
 */
export function topicDocument(name: string, payloadSchema: Record<string, unknown>): OpenApiDocument {
  const { $defs, definitions } = payloadSchema;
  return {
    openapi: '3.1.0',
    info: { title: name, version: '1' },
    ...($defs !== undefined ? { $defs } : {}),
    ...(definitions !== undefined ? { definitions } : {}),
  } as OpenApiDocument;
}

export const payloadSchemaOf = (payloadSchema: Record<string, unknown>): SchemaObject =>
  payloadSchema as SchemaObject;
