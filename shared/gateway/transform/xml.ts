import type { X2jOptions } from 'fast-xml-parser';
import { mappingFailed } from './mapping-failure.ts';

/** An XML answer larger than this is not converted (the JSON it becomes is larger still). */
export const MAX_XML_BYTES = 2 * 1024 * 1024;
const MAX_DEPTH = 64;

/**
 * Text only, predictable: attributes kept as `@name`, an element's text beside attributes as `#text`,
 * every value a string (`<id>007</id>` stays "007"; `$number()` converts), no declaration or
 * processing instructions, the five predefined entities and character references only.
 */
const OPTIONS: X2jOptions = {
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
  htmlEntities: false,
  maxNestedTags: MAX_DEPTH,
};

const DECLARED_ENCODING = /^<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]{1,40})["']/;
const CHARSET = /;\s*charset\s*=\s*"?([A-Za-z0-9._-]{1,40})/i;

/**
 * The upstream's XML answer as JSON. A document type declaration is refused outright, so no entity is
 * ever declared, let alone expanded; malformed XML, an unknown encoding or a document nested deeper
 * than 64 elements is the 502 `mapping-failed`.
 */
export async function xmlToJson(body: Buffer, contentType?: string): Promise<unknown> {
  if (body.length > MAX_XML_BYTES) throw mappingFailed('response', 'too-large');
  const text = decode(body, contentType).replace(/^\uFEFF/, '');
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw mappingFailed('response', 'malformed-xml');
  const { XMLParser, XMLValidator } = await import('fast-xml-parser');
  try {
    const verdict = XMLValidator.validate(text);
    if (verdict !== true) throw verdict.err;
    return new XMLParser(OPTIONS).parse(text);
  } catch (error) {
    throw mappingFailed('response', 'malformed-xml', error);
  }
}

/** The declared encoding (the XML declaration's, then the content type's charset), UTF-8 by default. */
function decode(body: Buffer, contentType: string | undefined): string {
  const head = body.subarray(0, 200).toString('latin1');
  const label = DECLARED_ENCODING.exec(head)?.[1] ?? CHARSET.exec(contentType ?? '')?.[1] ?? 'utf-8';
  try {
    return new TextDecoder(label, { fatal: true }).decode(body);
  } catch (error) {
    throw mappingFailed('response', 'malformed-xml', error);
  }
}
