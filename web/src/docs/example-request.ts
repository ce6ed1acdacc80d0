import { exampleOfMedia, parameterExample } from './examples.ts';
import type { OpenApiDocument } from './openapi.ts';
import { jsonMediaType, type Operation } from './operations.ts';
import { requestUrl } from './request-url.ts';
import { acceptsBearerToken } from './security.ts';

/** A call to an operation built from the document's examples, to show as a curl command. */
export interface ExampleRequest {
  method: string;
  url: string;
  headers: [name: string, value: string][];
  body: string | undefined;
}

export function exampleRequest(document: OpenApiDocument, operation: Operation): ExampleRequest {
  const exampleOf = (name: string) => {
    const parameter = operation.parameters.find((p) => p.name === name);
    return parameter ? parameterExample(document, parameter) : undefined;
  };
  const pathValues: Record<string, string> = {};
  for (const parameter of operation.parameters.filter((p) => p.in === 'path')) {
    const value = exampleOf(parameter.name);
    if (value !== undefined) pathValues[parameter.name] = value;
  }
  const query = operation.parameters
    .filter((p) => p.in === 'query')
    .flatMap((p): [string, string][] => {
      const value = exampleOf(p.name);
      if (value !== undefined) return [[p.name, value]];
      return p.required ? [[p.name, `<${p.name}>`]] : [];
    });
  const headers: [string, string][] = [];
  if (operation.security.length > 0 && acceptsBearerToken(document, operation.security)) {
    headers.push(['Authorization', 'Bearer $TOKEN']);
  }
  for (const parameter of operation.parameters.filter((p) => p.in === 'header' && p.required)) {
    headers.push([parameter.name, exampleOf(parameter.name) ?? `<${parameter.name}>`]);
  }
  const content = operation.requestBody?.content;
  const mediaType = jsonMediaType(content);
  const example = mediaType ? exampleOfMedia(document, content?.[mediaType]) : undefined;
  if (mediaType) headers.push(['Content-Type', mediaType]);
  return {
    method: operation.method.toUpperCase(),
    url: requestUrl(document.servers?.[0]?.url ?? '', operation.path, pathValues, query),
    headers,
    body: example ? JSON.stringify(example.value, null, 2) : undefined,
  };
}

/** POSIX shell single quotes: nothing inside is special but the quote itself. */
const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

export function curlCommand(request: ExampleRequest): string {
  const lines = [`curl -X ${request.method} ${quote(request.url)}`];
  for (const [name, value] of request.headers) {
    // $TOKEN stays a shell variable: double quotes let it expand.
    lines.push(value.includes('$TOKEN') ? `-H "${name}: ${value}"` : `-H ${quote(`${name}: ${value}`)}`);
  }
  if (request.body !== undefined) lines.push(`-d ${quote(request.body)}`);
  return lines.join(' \\\n  ');
}
