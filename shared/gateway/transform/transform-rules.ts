/**
 * Transform rules as an API definition writes them: JSONata mappings of a route's request and
 * response bodies, the upstream's answer format, and the platform's envelope (README "Transform rules").
 */

/** Longer expressions are refused on write: a mapping is configuration, not a program. */
export const MAX_EXPRESSION_LENGTH = 10_000;

export type UpstreamFormat = 'json' | 'xml';

/** Rewrites the caller's JSON body before it goes upstream. */
export interface RequestTransform {
  expression: string;
}

/**
 * Reads the upstream's answer (`upstreamFormat`, default JSON), rewrites it with `expression` when
 * there is one, then wraps it in the envelope when `envelope` is true.
 */
export interface ResponseTransform {
  expression?: string;
  upstreamFormat?: UpstreamFormat;
  envelope?: boolean;
}

const expression = { type: 'string', minLength: 1, maxLength: MAX_EXPRESSION_LENGTH } as const;

export const requestTransformSchema = {
  type: 'object',
  properties: { expression },
  required: ['expression'],
  additionalProperties: false,
} as const;

export const responseTransformSchema = {
  type: 'object',
  properties: {
    expression,
    upstreamFormat: { enum: ['json', 'xml'] },
    envelope: { type: 'boolean' },
  },
  additionalProperties: false,
} as const;

/** A route's response rule: the API's defaults, overridden member by member by the route's own. */
export function effectiveResponseTransform(
  api: ResponseTransform | undefined,
  route: ResponseTransform | undefined,
): ResponseTransform | undefined {
  if (!api && !route) return undefined;
  return { ...api, ...route };
}
