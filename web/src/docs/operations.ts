import {
  HTTP_METHODS,
  type HttpMethod,
  type OpenApiDocument,
  type OperationObject,
  type ParameterObject,
  type Reference,
  type RequestBodyObject,
  type ResponseObject,
  type SecurityRequirement,
} from './openapi.ts';
import { deref } from './refs.ts';

/** One operation of the document, its references resolved, as a reference page shows it. */
export interface Operation {
  /** The id of its section on the page, unique within the document. */
  anchor: string;
  method: HttpMethod;
  path: string;
  summary: string;
  description: string | undefined;
  deprecated: boolean;
  /** The path item's parameters and the operation's, the operation's winning on the same name and place. */
  parameters: ParameterObject[];
  requestBody: RequestBodyObject | undefined;
  /** By status code, in order. */
  responses: [status: string, response: ResponseObject][];
  /** Alternatives, any one of which is enough; empty when the operation needs no credentials. */
  security: SecurityRequirement[];
}

export interface PathGroup {
  path: string;
  operations: Operation[];
}

const anchorSafe = (text: string) =>
  text
    .replace(/[{}]/g, '')
    .replace(/[^A-Za-z0-9_]+/g, '-')
    .replace(/^-+|-+$/g, '');

function uniqueAnchor(base: string, taken: Set<string>): string {
  let anchor = base || 'operation';
  for (let n = 2; taken.has(anchor); n++) anchor = `${base}-${n}`;
  taken.add(anchor);
  return anchor;
}

function mergedParameters(
  document: OpenApiDocument,
  shared: (ParameterObject | Reference)[] = [],
  own: (ParameterObject | Reference)[] = [],
): ParameterObject[] {
  const byKey = new Map<string, ParameterObject>();
  for (const candidate of [...shared, ...own]) {
    const parameter = deref<ParameterObject>(document, candidate);
    if (parameter) byKey.set(`${parameter.in}:${parameter.name}`, parameter);
  }
  return [...byKey.values()];
}

/** 2XX-style ranges after the codes they cover, `default` last. */
const statusOrder = (status: string) =>
  status === 'default' ? 1000 : Number(status.replace(/X/gi, '9')) || 999;

function responsesOf(document: OpenApiDocument, operation: OperationObject): Operation['responses'] {
  return Object.entries(operation.responses ?? {})
    .map(([status, response]) => [status, deref<ResponseObject>(document, response)] as const)
    .filter((entry): entry is [string, ResponseObject] => entry[1] !== undefined)
    .sort(([a], [b]) => statusOrder(a) - statusOrder(b));
}

/** The document's operations grouped by path, paths and methods in the document's order. */
export function operationsOf(document: OpenApiDocument): PathGroup[] {
  const taken = new Set<string>();
  return Object.entries(document.paths ?? {}).map(([path, item]) => ({
    path,
    operations: HTTP_METHODS.filter((method) => item[method] !== undefined).map((method) => {
      const operation = item[method]!;
      const base = anchorSafe(operation.operationId ?? `${method}-${path}`);
      return {
        anchor: uniqueAnchor(base, taken),
        method,
        path,
        summary: operation.summary ?? item.summary ?? `${method.toUpperCase()} ${path}`,
        description: operation.description ?? item.description,
        deprecated: operation.deprecated === true,
        parameters: mergedParameters(document, item.parameters, operation.parameters),
        requestBody: deref<RequestBodyObject>(document, operation.requestBody),
        responses: responsesOf(document, operation),
        security: operation.security ?? document.security ?? [],
      };
    }),
  }));
}

/** The JSON media type of a body or response, if it has one (`application/json`, `…+json`). */
export function jsonMediaType(content: Record<string, unknown> | undefined): string | undefined {
  const types = Object.keys(content ?? {});
  return types.find((type) => type === 'application/json') ?? types.find((type) => /[/+]json$/.test(type));
}
