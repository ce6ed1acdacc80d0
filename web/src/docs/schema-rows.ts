import type { OpenApiDocument, SchemaObject } from './openapi.ts';
import { isArrayLike, isObjectLike, type ResolvedSchema, resolveSchema } from './schema-resolve.ts';

/** One property of a schema as a table shows it, with the properties inside it. */
export interface SchemaRow {
  name: string;
  type: string;
  required: boolean;
  deprecated: boolean;
  description: string | undefined;
  constraints: string[];
  children: SchemaRow[];
}

/** A whole schema: what it is, and the rows of what is inside. */
export interface SchemaTree {
  type: string;
  description: string | undefined;
  constraints: string[];
  rows: SchemaRow[];
}

/** Deeper than this, a schema is named but not unfolded. */
const MAX_DEPTH = 8;

/** `string`, `string | null`, `array of Pet`, `Pet | Problem`, `object`, `any`. */
export function typeLabel(document: OpenApiDocument, schema: SchemaObject, trail: string[] = []): string {
  const { schema: resolved, name, trail: path } = resolveSchema(document, schema, trail);
  if (name && (isObjectLike(resolved) || resolved.oneOf || resolved.anyOf)) return name;
  const variants = resolved.oneOf ?? resolved.anyOf;
  if (variants) return variants.map((variant) => typeLabel(document, variant, path)).join(' | ');
  const types = Array.isArray(resolved.type) ? resolved.type : resolved.type ? [resolved.type] : [];
  const labels = types.map((type) =>
    type === 'array' && resolved.items ? `array of ${typeLabel(document, resolved.items, path)}` : type,
  );
  if (resolved.nullable && !labels.includes('null')) labels.push('null');
  if (labels.length > 0) return labels.join(' | ');
  if (isObjectLike(resolved)) return 'object';
  if (resolved.const !== undefined) return typeof resolved.const;
  if (resolved.enum?.length) return [...new Set(resolved.enum.map((value) => typeof value))].join(' | ');
  return name ?? 'any';
}

const literal = (value: unknown) => JSON.stringify(value);

/** The schema's rules other than its type, each a short phrase. */
export function constraintsOf(schema: SchemaObject): string[] {
  const out: string[] = [];
  if (schema.format) out.push(`format: ${schema.format}`);
  if (schema.const !== undefined) out.push(`always ${literal(schema.const)}`);
  if (schema.enum?.length) out.push(`one of: ${schema.enum.map(literal).join(', ')}`);
  if (schema.pattern) out.push(`pattern: ${schema.pattern}`);
  if (schema.minimum !== undefined) out.push(`≥ ${schema.minimum}`);
  if (schema.exclusiveMinimum !== undefined) out.push(`> ${schema.exclusiveMinimum}`);
  if (schema.maximum !== undefined) out.push(`≤ ${schema.maximum}`);
  if (schema.exclusiveMaximum !== undefined) out.push(`< ${schema.exclusiveMaximum}`);
  if (schema.multipleOf !== undefined) out.push(`multiple of ${schema.multipleOf}`);
  if (schema.minLength !== undefined) out.push(`at least ${schema.minLength} characters`);
  if (schema.maxLength !== undefined) out.push(`at most ${schema.maxLength} characters`);
  if (schema.minItems !== undefined) out.push(`at least ${schema.minItems} items`);
  if (schema.maxItems !== undefined) out.push(`at most ${schema.maxItems} items`);
  if (schema.uniqueItems) out.push('unique items');
  if (schema.minProperties !== undefined) out.push(`at least ${schema.minProperties} properties`);
  if (schema.maxProperties !== undefined) out.push(`at most ${schema.maxProperties} properties`);
  if (schema.additionalProperties === false) out.push('no other properties');
  if (schema.readOnly) out.push('read-only');
  if (schema.writeOnly) out.push('write-only');
  if (schema.default !== undefined) out.push(`default: ${literal(schema.default)}`);
  return out;
}

/** The rows inside a schema: an object's properties, an array's items' properties, each variant. */
function childrenOf(document: OpenApiDocument, resolved: ResolvedSchema, depth: number): SchemaRow[] {
  const { schema, trail } = resolved;
  if (depth >= MAX_DEPTH || schema.$ref) return [];
  if (isArrayLike(schema) && schema.items) {
    return childrenOf(document, resolveSchema(document, schema.items, trail), depth);
  }
  const variants = schema.oneOf ?? schema.anyOf;
  if (variants) {
    const word = schema.oneOf ? 'exactly one of' : 'any of';
    return variants.map((variant, index) =>
      rowOf(
        document,
        `option ${index + 1}`,
        variant,
        false,
        trail,
        depth + 1,
        `Matches ${word} the options.`,
      ),
    );
  }
  if (!isObjectLike(schema)) return [];
  const required = new Set(schema.required ?? []);
  const rows = Object.entries(schema.properties ?? {}).map(([name, property]) =>
    rowOf(document, name, property, required.has(name), trail, depth + 1),
  );
  if (typeof schema.additionalProperties === 'object') {
    rows.push(
      rowOf(
        document,
        '{any other key}',
        schema.additionalProperties,
        false,
        trail,
        depth + 1,
        'Any other property.',
      ),
    );
  }
  return rows;
}

function rowOf(
  document: OpenApiDocument,
  name: string,
  schema: SchemaObject,
  required: boolean,
  trail: string[],
  depth: number,
  fallbackDescription?: string,
): SchemaRow {
  const resolved = resolveSchema(document, schema, trail);
  return {
    name,
    type: typeLabel(document, schema, trail),
    required,
    deprecated: resolved.schema.deprecated === true,
    description: resolved.schema.description ?? resolved.schema.title ?? fallbackDescription,
    constraints: constraintsOf(resolved.schema),
    children: childrenOf(document, resolved, depth),
  };
}

/** A schema as a tree of rows to show in a table. */
export function schemaTree(document: OpenApiDocument, schema: SchemaObject): SchemaTree {
  const resolved = resolveSchema(document, schema, []);
  return {
    type: typeLabel(document, schema),
    description: resolved.schema.description,
    constraints: constraintsOf(resolved.schema),
    rows: childrenOf(document, resolved, 0),
  };
}
