import { parse as parseYaml } from 'yaml';
import { isObject, type Json } from './pointer.ts';
import { ImportFindings, refusal } from './problems.ts';

export const MAX_DOCUMENT_BYTES = 1024 * 1024;
/** Deeper documents are refused before anything walks them recursively. */
export const MAX_DOCUMENT_DEPTH = 64;
/** Values counted as reached, so YAML aliases cannot multiply a small text into a huge tree. */
const MAX_DOCUMENT_NODES = 200_000;

export type OpenApiVersion = '3.0' | '3.1';

export interface ParsedDocument {
  document: Json;
  version: OpenApiVersion;
}

/** An OpenAPI 3.0 or 3.1 document, from JSON or YAML text (JSON is YAML, but is parsed as JSON first). */
export function parseDocument(text: string): ParsedDocument {
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_DOCUMENT_BYTES) {
    throw refusal([
      { pointer: '', message: `is ${bytes} bytes; at most ${MAX_DOCUMENT_BYTES} are accepted` },
    ]);
  }
  const document = parseText(text);
  if (!isObject(document))
    throw refusal([{ pointer: '', message: 'must be an OpenAPI document (an object)' }]);
  checkShape(document);
  const findings = new ImportFindings();
  const openapi = document.openapi;
  const version = typeof openapi === 'string' ? /^3\.([01])\.\d+(-[\w.]+)?$/.exec(openapi) : null;
  if (!version) {
    const swagger = typeof document.swagger === 'string';
    findings.refuse(
      swagger ? '/swagger' : '/openapi',
      swagger
        ? 'Swagger 2.0 is not supported: convert it to OpenAPI 3.x'
        : 'must be an OpenAPI 3.0.x or 3.1.x version',
    );
  }
  if (!isObject(document.info)) findings.refuse('/info', 'is required');
  findings.throwIfRefused();
  return { document, version: version![1] === '0' ? '3.0' : '3.1' };
}

function parseText(text: string): unknown {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw refusal([
        { pointer: '', message: `is not valid JSON: ${(error as Error).message.slice(0, 200)}` },
      ]);
    }
  }
  try {
    return parseYaml(text, { maxAliasCount: 100, uniqueKeys: true, prettyErrors: false, logLevel: 'error' });
  } catch (error) {
    const message =
      error instanceof RangeError ? 'nests too deeply' : (error as Error).message.split('\n')[0];
    throw refusal([{ pointer: '', message: `is not valid YAML: ${message?.slice(0, 200)}` }]);
  }
}

/** Walks without recursion, refusing too deep or too many values. */
function checkShape(document: Json): void {
  const stack: { value: unknown; depth: number }[] = [{ value: document, depth: 1 }];
  let nodes = 0;
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!;
    if (++nodes > MAX_DOCUMENT_NODES) {
      throw refusal([{ pointer: '', message: `holds more than ${MAX_DOCUMENT_NODES} values` }]);
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth > MAX_DOCUMENT_DEPTH) {
      throw refusal([{ pointer: '', message: `nests deeper than ${MAX_DOCUMENT_DEPTH} levels` }]);
    }
    for (const child of Object.values(value)) stack.push({ value: child, depth: depth + 1 });
  }
}
