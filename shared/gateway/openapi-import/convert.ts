import type { ApiRoute, HttpMethod } from '../api-definition.ts';
import { type RouteParameter, templateParameters } from '../route-parameters.ts';
import type { ParsedDocument } from './parse.ts';
import { escapeSegment, isObject, type Json, own, pointerTo } from './pointer.ts';
import type { ImportFindings } from './problems.ts';
import { resolveObject } from './references.ts';
import { SchemaConverter } from './schema.ts';
import { securityScopes } from './security.ts';

/** What a document says about an API: the members of its definition the import owns. */
export interface ImportedContract {
  description?: string;
  version?: string;
  routes: ApiRoute[];
  /** `servers[0].url`, its variables at their defaults, when it is an absolute http(s) URL. */
  serverUrl?: string;
}

const METHODS: Record<string, HttpMethod> = {
  get: 'GET',
  put: 'PUT',
  post: 'POST',
  delete: 'DELETE',
  options: 'OPTIONS',
  head: 'HEAD',
  patch: 'PATCH',
};
const LITERAL_SEGMENT = /^[A-Za-z0-9._~!$&'()*+,;=:@-]+$/;
const PARAMETER_SEGMENT = /^\{[A-Za-z_][A-Za-z0-9_]*\}$/;
const JSON_MEDIA_TYPE = /^application\/(?:[a-z0-9!#$&^_.-]+\+)?json$/;
/** Header parameters OpenAPI says are ignored: the protocol, not the operation, defines them. */
const IGNORED_HEADERS = new Set(['accept', 'content-type', 'authorization']);
const MAX_EXAMPLES = 20;
const LIMITS = { summary: 500, routeDescription: 4000, parameterDescription: 2000, apiDescription: 2000 };

export function convertDocument(
  { document }: ParsedDocument,
  findings: ImportFindings,
  maxRoutes: number,
): ImportedContract {
  const converter = new OperationConverter(document, findings);
  const info = isObject(document.info) ? document.info : {};
  return {
    ...optional('description', text(info.description, '/info/description', LIMITS.apiDescription, findings)),
    ...optional('version', version(info.version, findings)),
    routes: converter.routes(maxRoutes),
    ...optional('serverUrl', serverUrl(document.servers)),
  };
}

const optional = <K extends string, V>(key: K, value: V | undefined) =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;

function text(value: unknown, at: string, max: number, findings: ImportFindings): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return undefined;
  if (value.length <= max) return value;
  findings.warn(at, `is cut to ${max} characters`);
  return value.slice(0, max);
}

/** `info.version` as the definition's pattern allows: `^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$`. */
function version(value: unknown, findings: ImportFindings): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const sanitised = String(value)
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 32);
  if (sanitised === '') {
    findings.warn('/info/version', 'has no usable characters: the current version is kept');
    return undefined;
  }
  if (sanitised !== String(value)) findings.warn('/info/version', `is stored as ${sanitised}`);
  return sanitised;
}

function serverUrl(servers: unknown): string | undefined {
  const first = Array.isArray(servers) ? servers[0] : undefined;
  if (!isObject(first) || typeof first.url !== 'string') return undefined;
  const variables = isObject(first.variables) ? first.variables : {};
  const url = first.url.replace(/\{([^}]+)\}/g, (whole, name: string) => {
    const variable = own(variables, name);
    return isObject(variable) && typeof variable.default === 'string' ? variable.default : whole;
  });
  return /^https?:\/\/[^{}\s]+$/.test(url) ? url : undefined;
}

class OperationConverter {
  private readonly schemas: SchemaConverter;

  constructor(
    private readonly document: Json,
    private readonly findings: ImportFindings,
  ) {
    this.schemas = new SchemaConverter(document, findings);
  }

  routes(maxRoutes: number): ApiRoute[] {
    const paths = this.document.paths;
    if (!isObject(paths)) {
      this.findings.refuse(
        '/paths',
        'is required: the gateway serves only the operations a document declares',
      );
      return [];
    }
    const operations: { path: string; at: string; item: Json; method: string; operation: unknown }[] = [];
    for (const [path, node] of Object.entries(paths)) {
      const at = pointerTo('paths', path);
      const item = resolveObject(this.document, node, at, 'pathItems', this.findings);
      if (!item || !this.pathTemplate(path, at)) continue;
      for (const [key, operation] of Object.entries(item.value)) {
        if (key === 'trace')
          this.findings.refuse(`${item.at}/trace`, 'TRACE is not supported by the gateway');
        if (Object.hasOwn(METHODS, key))
          operations.push({ path, at: `${item.at}/${key}`, item: item.value, method: key, operation });
      }
    }
    if (operations.length === 0) this.findings.refuse('/paths', 'declares no operations');
    if (operations.length > maxRoutes) {
      this.findings.refuse(
        '/paths',
        `declares ${operations.length} operations; an API has at most ${maxRoutes} routes`,
      );
      return [];
    }
    return operations.flatMap(({ path, at, item, method, operation }) => {
      const route = this.route(path, METHODS[method]!, operation, item, at);
      return route ? [route] : [];
    });
  }

  private pathTemplate(path: string, at: string): boolean {
    const segments = path.split('/');
    const fits =
      path.startsWith('/') &&
      path.length <= 512 &&
      segments
        .slice(1)
        .every(
          (s, i) =>
            (s === '' && i === segments.length - 2) || LITERAL_SEGMENT.test(s) || PARAMETER_SEGMENT.test(s),
        );
    if (!fits) {
      this.findings.refuse(
        at,
        'must be a path template of literal segments and whole-segment {parameters} named [A-Za-z_][A-Za-z0-9_]*',
      );
    }
    return fits;
  }

  private route(
    path: string,
    method: HttpMethod,
    node: unknown,
    item: Json,
    at: string,
  ): ApiRoute | undefined {
    if (!isObject(node)) {
      this.findings.refuse(at, 'must be an operation object');
      return undefined;
    }
    const route: ApiRoute = { method, path };
    const summary = text(node.summary ?? item.summary, `${at}/summary`, LIMITS.summary, this.findings);
    if (summary) route.summary = summary;
    const description = text(
      node.description ?? item.description,
      `${at}/description`,
      LIMITS.routeDescription,
      this.findings,
    );
    if (description) route.description = description;
    const parameters = this.parameters(path, item, node, at);
    if (parameters.length > 0) route.parameters = parameters;
    this.requestBody(node.requestBody, `${at}/requestBody`, route);
    this.responses(node.responses, `${at}/responses`, route);
    const scopes = securityScopes(this.document, node, at, this.findings);
    if (scopes.length > 0) route.requiredScopes = scopes;
    for (const ignored of ['callbacks', 'servers']) {
      if (own(node, ignored) !== undefined) this.findings.warn(`${at}/${ignored}`, 'is not imported');
    }
    return route;
  }

  /** Path-item parameters, overridden by the operation's of the same name and location. */
  private parameters(path: string, item: Json, operation: Json, at: string): RouteParameter[] {
    const byKey = new Map<string, RouteParameter>();
    const lists: [unknown, string][] = [
      [item.parameters, `${at.slice(0, at.lastIndexOf('/'))}/parameters`],
      [operation.parameters, `${at}/parameters`],
    ];
    for (const [list, listAt] of lists) {
      if (list === undefined) continue;
      if (!Array.isArray(list)) {
        this.findings.refuse(listAt, 'must be an array');
        continue;
      }
      list.forEach((node, i) => {
        const parameter = this.parameter(path, node, `${listAt}/${i}`);
        if (parameter)
          byKey.set(
            `${parameter.in}:${parameter.in === 'header' ? parameter.name.toLowerCase() : parameter.name}`,
            parameter,
          );
      });
    }
    return [...byKey.values()];
  }

  private parameter(path: string, node: unknown, at: string): RouteParameter | undefined {
    const resolved = resolveObject(this.document, node, at, 'parameters', this.findings);
    if (!resolved) return undefined;
    const { value, at: where } = resolved;
    const name = value.name;
    const location = value.in;
    if (typeof name !== 'string' || name.length === 0 || name.length > 128) {
      this.findings.refuse(`${where}/name`, 'must be a name of 1 to 128 characters');
      return undefined;
    }
    if (location === 'cookie') {
      this.findings.refuse(`${where}/in`, 'cookie parameters are not supported by the gateway');
      return undefined;
    }
    if (location !== 'query' && location !== 'header' && location !== 'path') {
      this.findings.refuse(`${where}/in`, 'must be query, header or path');
      return undefined;
    }
    if (location === 'header' && IGNORED_HEADERS.has(name.toLowerCase())) return undefined;
    if (location === 'path' && !templateParameters(path).includes(name)) {
      this.findings.refuse(`${where}/name`, `names no segment of ${path}`);
      return undefined;
    }
    const parameter: RouteParameter = { name, in: location };
    if (location === 'path' || value.required === true) parameter.required = true;
    const schema = this.parameterSchema(value, location, where);
    if (schema) parameter.schema = schema;
    const description = text(
      value.description,
      `${where}/description`,
      LIMITS.parameterDescription,
      this.findings,
    );
    if (description) parameter.description = description;
    const example =
      own(value, 'example') ??
      firstExample(this.document, value.examples, `${where}/examples`, this.findings);
    if (example !== undefined) parameter.example = example;
    return parameter;
  }

  /**
   * Only the default serialisations (`form` exploded in the query, `simple` elsewhere) of scalars and
   * arrays can be checked from the wire; anything else is checked for presence only.
   */
  private parameterSchema(value: Json, location: string, at: string): Json | undefined {
    if (value.schema === undefined) {
      if (value.content !== undefined)
        this.findings.warn(`${at}/content`, 'is not checked: only the presence of the parameter is');
      return undefined;
    }
    const schema = this.schemas.convert(value.schema, `${at}/schema`);
    if (!schema) return undefined;
    const style = value.style ?? (location === 'query' ? 'form' : 'simple');
    const defaultStyle =
      style === (location === 'query' ? 'form' : 'simple') &&
      (value.explode === undefined || value.explode === (location === 'query'));
    const scalarOrArray =
      schema.type !== 'object' && !(Array.isArray(schema.type) && schema.type.includes('object'));
    const arrayInHeaderOrPath = location !== 'query' && schema.type === 'array';
    if (defaultStyle && scalarOrArray && !arrayInHeaderOrPath) return schema;
    this.findings.warn(
      `${at}/schema`,
      'is not checked for this style or type: only the presence of the parameter is',
    );
    return undefined;
  }

  private requestBody(node: unknown, at: string, route: ApiRoute): void {
    if (node === undefined) return;
    const resolved = resolveObject(this.document, node, at, 'requestBodies', this.findings);
    if (!resolved) return;
    const media = this.jsonMedia(resolved.value.content, `${resolved.at}/content`);
    if (!media) return;
    if (!media.only) {
      this.findings.warn(
        `${resolved.at}/content`,
        'offers other media types than JSON: the body is not checked',
      );
      return;
    }
    const schema =
      media.value.schema === undefined
        ? undefined
        : this.schemas.convert(media.value.schema, `${media.at}/schema`);
    if (schema) {
      route.requestSchema = schema;
      if (resolved.value.required !== true) route.requestBodyRequired = false;
    }
    const examples = mediaExamples(this.document, media.value, media.at, this.findings);
    if (examples) route.examples = { ...route.examples, request: examples };
  }

  /** The schema and examples of the first 2xx response with a JSON body. */
  private responses(node: unknown, at: string, route: ApiRoute): void {
    if (!isObject(node)) return;
    const statuses = Object.keys(node)
      .filter((status) => /^2(\d\d|XX)$/.test(status))
      .sort();
    for (const status of statuses) {
      const resolved = resolveObject(
        this.document,
        node[status],
        `${at}/${status}`,
        'responses',
        this.findings,
      );
      if (!resolved || resolved.value.content === undefined) continue;
      const media = this.jsonMedia(resolved.value.content, `${resolved.at}/content`);
      if (!media) continue;
      const schema =
        media.value.schema === undefined
          ? undefined
          : this.schemas.convert(media.value.schema, `${media.at}/schema`);
      if (schema) route.responseSchema = schema;
      const examples = mediaExamples(this.document, media.value, media.at, this.findings);
      if (examples) route.examples = { ...route.examples, response: examples };
      return;
    }
  }

  private jsonMedia(content: unknown, at: string): { value: Json; at: string; only: boolean } | undefined {
    if (!isObject(content)) {
      if (content !== undefined) this.findings.refuse(at, 'must be an object of media types');
      return undefined;
    }
    const types = Object.keys(content);
    const json = types.find((type) => JSON_MEDIA_TYPE.test(type.split(';')[0]!.trim().toLowerCase()));
    if (json === undefined) return undefined;
    const value = content[json];
    if (!isObject(value)) {
      this.findings.refuse(`${at}/${escapeSegment(json)}`, 'must be a media type object');
      return undefined;
    }
    return { value, at: `${at}/${escapeSegment(json)}`, only: types.length === 1 };
  }
}

function mediaExamples(document: Json, media: Json, at: string, findings: ImportFindings): Json | undefined {
  if (Object.hasOwn(media, 'example')) return { default: media.example };
  const examples = media.examples;
  if (!isObject(examples)) return undefined;
  const out: Json = {};
  for (const [name, node] of Object.entries(examples).slice(0, MAX_EXAMPLES)) {
    const resolved = resolveObject(
      document,
      node,
      `${at}/examples/${escapeSegment(name)}`,
      'examples',
      findings,
    );
    if (resolved && Object.hasOwn(resolved.value, 'value')) out[name] = resolved.value.value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function firstExample(document: Json, examples: unknown, at: string, findings: ImportFindings): unknown {
  if (!isObject(examples)) return undefined;
  const [name, node] = Object.entries(examples)[0] ?? [];
  if (name === undefined) return undefined;
  const resolved = resolveObject(document, node, `${at}/${escapeSegment(name)}`, 'examples', findings);
  return resolved?.value.value;
}
