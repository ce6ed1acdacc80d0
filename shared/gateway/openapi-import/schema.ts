import {
  escapeSegment,
  isObject,
  type Json,
  lookup,
  own,
  pointerTo,
  refSegments,
  unescapeSegment,
} from './pointer.ts';
import type { ImportFindings } from './problems.ts';

/**
 * Converts OpenAPI 3.0 and 3.1 schemas to the JSON Schema draft-07 the gateway's Ajv compiles:
 * `nullable` becomes a `null` type, boolean `exclusiveMinimum`/`exclusiveMaximum` become numbers,
 * `prefixItems` becomes tuple `items`, `dependentRequired`/`dependentSchemas` become `dependencies`,
 * `example` becomes `examples`; annotations Ajv has no use for (`discriminator`, `xml`, `x-*`, `$id`,
 * `$schema`…) are dropped. Only the keywords listed here survive, each checked for its shape.
 *
 * A `$ref` to `#/components/schemas/...` becomes a `$ref` to the same schema copied into the route
 * schema's `$defs`, so a recursive schema stays a finite, recursive JSON Schema; each component is
 * converted once and shared by every route that uses it.
 */

const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object', 'null']);
const SCHEMA_MAPS = ['properties', 'patternProperties'] as const;
const SUBSCHEMAS = [
  'additionalProperties',
  'additionalItems',
  'contains',
  'propertyNames',
  'not',
  'if',
  'then',
  'else',
] as const;
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf'] as const;
const NON_NEGATIVE_INTEGERS = [
  'maxLength',
  'minLength',
  'maxItems',
  'minItems',
  'maxProperties',
  'minProperties',
] as const;
const NUMBERS = ['maximum', 'minimum'] as const;
const STRINGS = ['title', 'description', 'contentMediaType', 'contentEncoding'] as const;
const BOOLEANS = ['uniqueItems', 'readOnly', 'writeOnly'] as const;
/** Formats ajv-formats knows; others are annotations only, and dropped so Ajv does not warn of them. */
const FORMATS = new Set([
  'date',
  'time',
  'date-time',
  'iso-time',
  'iso-date-time',
  'duration',
  'uri',
  'uri-reference',
  'uri-template',
  'url',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'regex',
  'uuid',
  'json-pointer',
  'json-pointer-uri-fragment',
  'relative-json-pointer',
  'byte',
  'int32',
  'int64',
  'float',
  'double',
  'password',
  'binary',
]);
const UNSUPPORTED = ['$dynamicRef', '$dynamicAnchor', '$recursiveRef', '$recursiveAnchor'] as const;
const LOOSENED = ['unevaluatedProperties', 'unevaluatedItems'] as const;
const COMPONENT_SCHEMAS = ['components', 'schemas'];

export type JsonSchema = Json | boolean;

interface Component {
  schema: JsonSchema;
  /** Keys of the components its schema refers to directly. */
  uses: Set<string>;
}

export class SchemaConverter {
  private readonly components = new Map<string, Component>();

  constructor(
    private readonly document: Json,
    private readonly findings: ImportFindings,
  ) {}

  /** A route schema: `schema` converted, with every component it reaches in `$defs`. */
  convert(schema: unknown, at: string): Json | undefined {
    const uses = new Set<string>();
    const root = this.node(schema, at, uses);
    if (root === undefined) return undefined;
    const defs: Json = {};
    const pending = [...uses];
    while (pending.length > 0) {
      const key = pending.pop()!;
      if (Object.hasOwn(defs, key)) continue;
      const component = this.component(key);
      defs[key] = component?.schema ?? {};
      if (component) pending.push(...component.uses);
    }
    const object = typeof root === 'boolean' ? (root ? {} : { not: {} }) : root;
    return Object.keys(defs).length > 0 ? { ...object, $defs: defs } : object;
  }

  private component(key: string): Component | undefined {
    const known = this.components.get(key);
    if (known) return known;
    const segments = [...COMPONENT_SCHEMAS, ...key.split('/').map(unescapeSegment)];
    const target = lookup(this.document, segments);
    const uses = new Set<string>();
    // Registered before converting, so a schema that reaches itself finds it and stops.
    const component: Component = { schema: {}, uses };
    this.components.set(key, component);
    component.schema = this.node(target, pointerTo(...segments), uses) ?? {};
    return component;
  }

  private node(schema: unknown, at: string, uses: Set<string>): JsonSchema | undefined {
    if (typeof schema === 'boolean') return schema;
    if (!isObject(schema)) {
      this.findings.refuse(at, 'must be a schema (an object)');
      return undefined;
    }
    const out: Json = {};
    const ref = own(schema, '$ref');
    if (ref !== undefined) this.reference(ref, `${at}/$ref`, out, uses);
    this.types(schema, at, out);
    for (const key of SCHEMA_MAPS) this.schemaMap(schema, key, at, out, uses);
    for (const key of SUBSCHEMAS) {
      const value = own(schema, key);
      if (value === undefined) continue;
      const converted = this.node(value, `${at}/${key}`, uses);
      if (converted !== undefined) out[key] = converted;
    }
    for (const key of SCHEMA_LISTS) {
      const value = own(schema, key);
      if (value === undefined) continue;
      if (!Array.isArray(value) || value.length === 0) {
        this.findings.refuse(`${at}/${key}`, 'must be a non-empty array of schemas');
        continue;
      }
      out[key] = value.map((item, i) => this.node(item, `${at}/${key}/${i}`, uses) ?? {});
    }
    this.items(schema, at, out, uses);
    this.dependencies(schema, at, out, uses);
    this.scalars(schema, at, out);
    for (const key of UNSUPPORTED) {
      if (own(schema, key) !== undefined) this.findings.refuse(`${at}/${key}`, 'is not supported');
    }
    for (const key of LOOSENED) {
      if (own(schema, key) !== undefined)
        this.findings.warn(`${at}/${key}`, 'is not enforced by the gateway');
    }
    return out;
  }

  private reference(ref: unknown, at: string, out: Json, uses: Set<string>): void {
    if (typeof ref !== 'string') {
      this.findings.refuse(at, 'must be a string');
      return;
    }
    const segments = refSegments(ref);
    if (!segments) {
      this.findings.refuse(
        at,
        `${ref.slice(0, 200)} is an external reference: only #/components/schemas/... is supported`,
      );
      return;
    }
    if (segments.length < 3 || segments[0] !== 'components' || segments[1] !== 'schemas') {
      this.findings.refuse(at, `${ref.slice(0, 200)} must point into #/components/schemas`);
      return;
    }
    if (lookup(this.document, segments) === undefined) {
      this.findings.refuse(at, `${ref.slice(0, 200)} points at nothing`);
      return;
    }
    const key = segments.slice(2).map(escapeSegment).join('/');
    uses.add(key);
    out.$ref = `#/$defs/${escapeSegment(key)}`;
  }

  private types(schema: Json, at: string, out: Json): void {
    const type = own(schema, 'type');
    let types: string[] | undefined;
    if (typeof type === 'string') types = [type];
    else if (Array.isArray(type) && type.every((t) => typeof t === 'string'))
      types = [...new Set(type as string[])];
    else if (type !== undefined) this.findings.refuse(`${at}/type`, 'must be a type name or a list of them');
    if (types?.some((t) => !TYPES.has(t))) {
      this.findings.refuse(`${at}/type`, `must be one of ${[...TYPES].join(', ')}`);
      types = undefined;
    }
    const nullable = own(schema, 'nullable') === true;
    if (nullable && types && !types.includes('null')) types.push('null');
    if (types) out.type = types.length === 1 ? types[0] : types;
    const values = own(schema, 'enum');
    if (values !== undefined) {
      if (!Array.isArray(values) || values.length === 0)
        this.findings.refuse(`${at}/enum`, 'must be a non-empty array');
      else out.enum = nullable && !values.includes(null) ? [...values, null] : values;
    }
    if (Object.hasOwn(schema, 'const')) out.const = schema.const;
  }

  private schemaMap(
    schema: Json,
    key: (typeof SCHEMA_MAPS)[number],
    at: string,
    out: Json,
    uses: Set<string>,
  ): void {
    const value = own(schema, key);
    if (value === undefined) return;
    if (!isObject(value)) {
      this.findings.refuse(`${at}/${key}`, 'must be an object of schemas');
      return;
    }
    if (key === 'patternProperties') {
      for (const pattern of Object.keys(value))
        this.pattern(pattern, `${at}/${key}/${escapeSegment(pattern)}`);
    }
    out[key] = Object.fromEntries(
      Object.entries(value).map(([name, sub]) => [
        name,
        this.node(sub, `${at}/${key}/${escapeSegment(name)}`, uses) ?? {},
      ]),
    );
  }

  /** 3.1 tuples are `prefixItems` plus `items` for the rest; draft-07 says `items` (a list) plus `additionalItems`. */
  private items(schema: Json, at: string, out: Json, uses: Set<string>): void {
    const prefix = own(schema, 'prefixItems');
    const items = own(schema, 'items');
    if (prefix !== undefined) {
      if (!Array.isArray(prefix)) {
        this.findings.refuse(`${at}/prefixItems`, 'must be an array of schemas');
        return;
      }
      out.items = prefix.map((item, i) => this.node(item, `${at}/prefixItems/${i}`, uses) ?? {});
      if (items !== undefined) {
        const rest = this.node(items, `${at}/items`, uses);
        if (rest !== undefined) out.additionalItems = rest;
      }
      return;
    }
    if (items === undefined) return;
    if (Array.isArray(items)) {
      out.items = items.map((item, i) => this.node(item, `${at}/items/${i}`, uses) ?? {});
    } else {
      const converted = this.node(items, `${at}/items`, uses);
      if (converted !== undefined) out.items = converted;
    }
  }

  private dependencies(schema: Json, at: string, out: Json, uses: Set<string>): void {
    const dependencies: Json = {};
    const required = own(schema, 'dependentRequired');
    if (required !== undefined) {
      if (!isObject(required)) this.findings.refuse(`${at}/dependentRequired`, 'must be an object');
      else
        for (const [name, list] of Object.entries(required)) {
          if (Array.isArray(list) && list.every((n) => typeof n === 'string')) dependencies[name] = list;
          else
            this.findings.refuse(`${at}/dependentRequired/${escapeSegment(name)}`, 'must be a list of names');
        }
    }
    const schemas = own(schema, 'dependentSchemas');
    if (schemas !== undefined) {
      if (!isObject(schemas)) this.findings.refuse(`${at}/dependentSchemas`, 'must be an object of schemas');
      else
        for (const [name, sub] of Object.entries(schemas)) {
          dependencies[name] = this.node(sub, `${at}/dependentSchemas/${escapeSegment(name)}`, uses) ?? {};
        }
    }
    if (Object.keys(dependencies).length > 0) out.dependencies = dependencies;
  }

  private scalars(schema: Json, at: string, out: Json): void {
    for (const key of NON_NEGATIVE_INTEGERS) {
      const value = own(schema, key);
      if (value === undefined) continue;
      if (Number.isSafeInteger(value) && (value as number) >= 0) out[key] = value;
      else this.findings.refuse(`${at}/${key}`, 'must be a non-negative integer');
    }
    for (const key of NUMBERS) {
      const value = own(schema, key);
      if (value === undefined) continue;
      if (Number.isFinite(value)) out[key] = value;
      else this.findings.refuse(`${at}/${key}`, 'must be a number');
    }
    for (const [key, bound] of [
      ['exclusiveMinimum', 'minimum'],
      ['exclusiveMaximum', 'maximum'],
    ] as const) {
      const value = own(schema, key);
      if (value === true && typeof out[bound] === 'number') {
        out[key] = out[bound];
        delete out[bound];
      } else if (Number.isFinite(value)) out[key] = value;
      else if (value !== undefined && typeof value !== 'boolean')
        this.findings.refuse(`${at}/${key}`, 'must be a number');
    }
    const multipleOf = own(schema, 'multipleOf');
    if (multipleOf !== undefined) {
      if (Number.isFinite(multipleOf) && (multipleOf as number) > 0) out.multipleOf = multipleOf;
      else this.findings.refuse(`${at}/multipleOf`, 'must be a number above 0');
    }
    const pattern = own(schema, 'pattern');
    if (pattern !== undefined && this.pattern(pattern, `${at}/pattern`)) out.pattern = pattern;
    const required = own(schema, 'required');
    if (required !== undefined) {
      if (Array.isArray(required) && required.every((n) => typeof n === 'string')) {
        if (required.length > 0) out.required = [...new Set(required)];
      } else this.findings.refuse(`${at}/required`, 'must be a list of property names');
    }
    const format = own(schema, 'format');
    if (typeof format === 'string' && FORMATS.has(format)) out.format = format;
    for (const key of STRINGS) {
      const value = own(schema, key);
      if (typeof value === 'string') out[key] = value;
    }
    for (const key of BOOLEANS) {
      const value = own(schema, key);
      if (typeof value === 'boolean') out[key] = value;
    }
    if (Object.hasOwn(schema, 'default')) out.default = schema.default;
    const examples = own(schema, 'examples');
    if (Array.isArray(examples)) out.examples = examples;
    else if (Object.hasOwn(schema, 'example')) out.examples = [schema.example];
  }

  private pattern(pattern: unknown, at: string): boolean {
    if (typeof pattern !== 'string') {
      this.findings.refuse(at, 'must be a string');
      return false;
    }
    try {
      new RegExp(pattern, 'u');
      return true;
    } catch {
      this.findings.refuse(at, 'is not a valid regular expression');
      return false;
    }
  }
}
