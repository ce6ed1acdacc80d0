import { MAX_RESPONSE_BYTES } from '../forward.ts';
import type { UpstreamAnswer } from '../ports.ts';
import { envelope } from './envelope.ts';
import { jsonText, type Mapping } from './mapping.ts';
import { callBindings, type MappingContext } from './mapping-context.ts';
import { mappingFailed } from './mapping-failure.ts';
import type { UpstreamFormat } from './transform-rules.ts';
import { xmlToJson } from './xml.ts';

export interface ResponseRule {
  mapping?: Mapping;
  upstreamFormat: UpstreamFormat;
  envelope: boolean;
}

/** Describe the upstream's bytes, which the caller no longer gets. */
const STALE_HEADERS = ['content-type', 'content-length', 'content-encoding', 'etag', 'content-md5', 'digest'];

/**
 * The upstream's answer as the caller gets it: read as JSON or XML, rewritten by the mapping (which
 * sees `$status` and `$headers` besides the call's context), wrapped in the envelope when asked, sent
 * as `application/json` with the upstream's status. An answer that has no body (HEAD, 204, 304) is
 * relayed as it is; an empty body is read as nothing.
 */
export async function mapResponse(
  rule: ResponseRule,
  answer: UpstreamAnswer,
  context: MappingContext,
): Promise<UpstreamAnswer> {
  if (context.method === 'HEAD' || answer.status === 204 || answer.status === 304) return answer;
  const encoding = answer.headers['content-encoding'];
  if (encoding && encoding.toLowerCase() !== 'identity') throw mappingFailed('response', 'encoded-answer');
  const body = answer.body.length === 0 ? undefined : await read(rule.upstreamFormat, answer);
  const mapped = rule.mapping
    ? await rule.mapping.evaluate(body, {
        ...callBindings(context),
        status: answer.status,
        headers: answer.headers,
      })
    : body;
  const data = rule.envelope ? envelope(answer.status, mapped, context.requestId) : mapped;
  const headers = { ...answer.headers };
  for (const name of STALE_HEADERS) delete headers[name];
  return {
    ...answer,
    headers: { ...headers, 'content-type': 'application/json' },
    body: Buffer.from(jsonText(data, 'response', MAX_RESPONSE_BYTES)),
  };
}

function read(format: UpstreamFormat, answer: UpstreamAnswer): Promise<unknown> | unknown {
  if (format === 'xml') return xmlToJson(answer.body, answer.headers['content-type']);
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(answer.body));
  } catch (error) {
    throw mappingFailed('response', 'malformed-json', error);
  }
}
