import { type Block, parseMarkdown, plainText } from './markdown.ts';
import type { OpenApiDocument } from './openapi.ts';

/** What the top of a reference page shows, from the document's `info`. */
export interface ApiOverview {
  title: string;
  version: string;
  /** The description, without its rate limits. */
  description: Block[];
  /** The paragraph introducing the rate limits and the list of them; empty when none are documented. */
  rateLimits: Block[];
  baseUrl: string | undefined;
}

const isRateLimitIntro = (block: Block) =>
  block.kind === 'paragraph' && /^rate limits\b/i.test(plainText(block.content).trim());

/**
 * The platform writes an API's rate limits into its description: a paragraph starting "Rate limits"
 * followed by a list. They get a section of their own.
 */
export function overviewOf(document: OpenApiDocument): ApiOverview {
  const blocks = parseMarkdown(document.info.description ?? '');
  const start = blocks.findIndex(isRateLimitIntro);
  const end = start >= 0 && blocks[start + 1]?.kind === 'list' ? start + 2 : start + 1;
  return {
    title: document.info.title,
    version: document.info.version,
    description: start >= 0 ? [...blocks.slice(0, start), ...blocks.slice(end)] : blocks,
    rateLimits: start >= 0 ? blocks.slice(start, end) : [],
    baseUrl: document.servers?.[0]?.url,
  };
}
