import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../kernel/errors.ts';
import { RequestValidator } from '../request-validation.ts';
import { importOpenApi } from './import.ts';
import { petstoreText } from './testing/petstore.ts';

const settings = { upstreams: [{ url: 'https://pets.example' }], timeoutMs: 1000 };

/** Converts, and the gateway can compile what it converted to; or refuses with validation-failed. */
function importsOrRefuses(text: string): void {
  try {
    const { definition } = importOpenApi(text, 'fuzz', undefined, settings);
    expect(() => new RequestValidator(definition)).not.toThrow();
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    expect(error.code).toBe('validation-failed');
    expect(error.details.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ pointer: expect.any(String) })]),
    );
  }
}

const keyword = fc.constantFrom(
  'type',
  'nullable',
  'enum',
  'const',
  'properties',
  'items',
  'prefixItems',
  'required',
  '$ref',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'pattern',
  'minimum',
  'exclusiveMinimum',
  'maximum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'format',
  'additionalProperties',
  'dependentRequired',
  'dependentSchemas',
  'if',
  'then',
  'else',
  'example',
  'examples',
  '$dynamicRef',
  'unevaluatedProperties',
  '__proto__',
  'constructor',
  'name',
  'in',
  'schema',
  'content',
  'application/json',
  'parameters',
  'requestBody',
  'responses',
  '200',
  'get',
  'post',
  'security',
  'components',
  'schemas',
  'Pet',
  'style',
  'explode',
);
const scalar = fc.oneof(
  fc.constantFrom(
    'string',
    'integer',
    'object',
    'array',
    'null',
    'query',
    'path',
    'header',
    'cookie',
    '(',
    '#/components/schemas/Pet',
    '#/components/schemas/Loop',
    '#/components/parameters/P',
    'https://x.example/s',
    '#',
  ),
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
const { value: hostileValue } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(keyword, tie('value'), { maxKeys: 5 }),
  ),
}));

const pathKey = fc.constantFrom('/a', '/a/{id}', '/{x}/b', 'nope', '/a/{id}.json', '/__proto__', '/');
const documents = fc.record({
  openapi: fc.constantFrom('3.0.3', '3.1.0', '2.0', 3),
  info: fc.oneof(
    fc.record({ title: fc.string(), version: fc.oneof(fc.string(), fc.integer()) }),
    hostileValue,
  ),
  paths: fc.oneof(
    fc.dictionary(pathKey, fc.dictionary(keyword, hostileValue, { maxKeys: 4 }), { maxKeys: 4 }),
    hostileValue,
  ),
  components: fc.record({
    schemas: fc.dictionary(fc.constantFrom('Pet', 'Loop', 'x'), hostileValue, { maxKeys: 3 }),
    parameters: fc.dictionary(fc.constantFrom('P'), hostileValue, { maxKeys: 1 }),
  }),
  security: fc.oneof(fc.constant(undefined), hostileValue),
});

/** Each run builds and compiles a definition: some milliseconds apiece. */
const SLOW = 30_000;

describe('importOpenApi never crashes', () => {
  it(
    'on random documents',
    () => {
      fc.assert(
        fc.property(documents, (document) => importsOrRefuses(JSON.stringify(document))),
        { numRuns: 200 },
      );
    },
    SLOW,
  );

  it(
    'on random text',
    () => {
      fc.assert(fc.property(fc.string({ maxLength: 200 }), importsOrRefuses), { numRuns: 200 });
    },
    SLOW,
  );

  it(
    'on the Petstore with a value replaced anywhere',
    () => {
      const petstore = JSON.parse(petstoreText());
      const pointers: string[][] = [];
      const walk = (node: unknown, at: string[]) => {
        pointers.push(at);
        if (node !== null && typeof node === 'object')
          for (const [k, v] of Object.entries(node)) walk(v, [...at, k]);
      };
      walk(petstore, []);
      fc.assert(
        fc.property(fc.constantFrom(...pointers.filter((p) => p.length > 0)), hostileValue, (at, value) => {
          const copy = structuredClone(petstore);
          let node = copy;
          for (const key of at.slice(0, -1)) node = node[key];
          node[at.at(-1)!] = value;
          importsOrRefuses(JSON.stringify(copy));
        }),
        { numRuns: 200 },
      );
    },
    SLOW,
  );

  it('on a recursive schema, which stays recursive', () => {
    const text = JSON.stringify({
      openapi: '3.1.0',
      info: { title: 't', version: '1' },
      paths: {
        '/trees': {
          post: {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Tree' } } },
            },
          },
        },
      },
      components: {
        schemas: {
          Tree: {
            type: 'object',
            properties: {
              children: { type: 'array', items: { $ref: '#/components/schemas/Tree' } },
              forest: { $ref: '#/components/schemas/Forest' },
            },
          },
          Forest: { type: 'array', items: { $ref: '#/components/schemas/Tree' } },
        },
      },
    });
    const { definition } = importOpenApi(text, 'trees', undefined, settings);
    const schema = definition.routes![0]!.requestSchema!;
    expect(Object.keys(schema.$defs as object).sort()).toEqual(['Forest', 'Tree']);
    const validator = new RequestValidator(definition);
    const post = (body: unknown) =>
      validator.check({
        method: 'POST',
        path: '/trees',
        rawQueryString: '',
        headers: { 'content-type': 'application/json' },
        body: Buffer.from(JSON.stringify(body)),
      });
    expect(() => post({ children: [{ children: [] }], forest: [{}] })).not.toThrow();
    expect(() => post({ children: [{ children: 'no' }] })).toThrow(DomainError);
  });
});
