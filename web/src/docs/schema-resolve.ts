import type { OpenApiDocument, SchemaObject } from './openapi.ts';
import { refName, resolvePointer } from './refs.ts';

export interface ResolvedSchema {
  schema: SchemaObject;
  /** The component it came from, when it was a reference. */
  name: string | undefined;
  /** Every reference followed from the root to here, to notice a schema that contains itself. */
  trail: string[];
}

/**
 * The schema behind a reference, `allOf` parts folded into one. In 3.1 a `$ref` may have siblings:
 * they win over the target's (a property's own description, say). A reference already on `trail` is
 * left as it is: the schema contains itself there.
 */
export function resolveSchema(
  document: OpenApiDocument,
  schema: SchemaObject,
  trail: string[],
): ResolvedSchema {
  let current = schema;
  let name: string | undefined;
  const path = [...trail];
  while (current.$ref && !path.includes(current.$ref)) {
    const { $ref, ...siblings } = current;
    path.push($ref);
    name = refName($ref);
    const target = resolvePointer(document, $ref);
    current = {
      ...(typeof target === 'object' && target !== null ? (target as SchemaObject) : {}),
      ...siblings,
    };
  }
  if (current.$ref) return { schema: current, name: name ?? refName(current.$ref), trail: path };
  if (current.allOf) current = foldAllOf(document, current, path);
  return { schema: current, name, trail: path };
}

function foldAllOf(document: OpenApiDocument, schema: SchemaObject, trail: string[]): SchemaObject {
  const { allOf = [], ...rest } = schema;
  const parts = [...allOf.map((part) => resolveSchema(document, part, trail).schema), rest];
  const merged: SchemaObject = Object.assign({}, ...parts);
  const properties = Object.assign({}, ...parts.map((part) => part.properties ?? {}));
  const required = [...new Set(parts.flatMap((part) => part.required ?? []))];
  delete merged.properties;
  delete merged.required;
  return {
    ...merged,
    ...(Object.keys(properties).length > 0 ? { properties } : {}),
    ...(required.length > 0 ? { required } : {}),
  };
}

const hasType = (schema: SchemaObject, type: string) =>
  schema.type === type || (Array.isArray(schema.type) && schema.type.includes(type));

export const isObjectLike = (schema: SchemaObject): boolean =>
  hasType(schema, 'object') ||
  (schema.type === undefined &&
    (schema.properties !== undefined || schema.additionalProperties !== undefined));

export const isArrayLike = (schema: SchemaObject): boolean => hasType(schema, 'array');
