import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../kernel/errors.ts';
import type { UpstreamAnswer } from '../ports.ts';
import { compileMapping } from './mapping.ts';
import type { MappingContext } from './mapping-context.ts';
import { mapResponse, type ResponseRule } from './response-mapping.ts';

const context: MappingContext = {
  method: 'GET',
  path: '/orders/7',
  params: { id: '7' },
  query: { expand: 'items' },
  requestId: 'req-1',
};
const upstream = (
  body: string | Buffer,
  status = 200,
  headers: Record<string, string> = {},
): UpstreamAnswer => ({
  status,
  headers: { 'content-type': 'application/json', 'content-length': '99', etag: '"u"', ...headers },
  body: Buffer.from(body),
  upstreamLatencyMs: 3,
});
const rule = (expression?: string, more: Partial<ResponseRule> = {}): ResponseRule => ({
  ...(expression ? { mapping: compileMapping(expression, 'response') } : {}),
  upstreamFormat: 'json',
  envelope: false,
  ...more,
});
const json = (answer: UpstreamAnswer) => JSON.parse(answer.body.toString());

describe('mapResponse', () => {
  it('maps the body with the status, headers and call context', async () => {
    const answer = await mapResponse(
      rule(
        '{ "id": $params.id, "name": order.title, "status": $status, "type": $headers."content-type", "q": $query.expand }',
      ),
      upstream('{"order":{"title":"Tea"}}', 201, { 'x-kept': 'yes' }),
      context,
    );
    expect(answer.status).toBe(201);
    expect(json(answer)).toEqual({ id: '7', name: 'Tea', status: 201, type: 'application/json', q: 'items' });
    expect(answer.headers).toEqual({ 'content-type': 'application/json', 'x-kept': 'yes' });
  });

  it('reads XML and wraps the result in the envelope', async () => {
    const answer = await mapResponse(
      rule('{ "total": $number(order.total) }', { upstreamFormat: 'xml', envelope: true }),
      upstream('<order><total>12.5</total></order>', 200, { 'content-type': 'text/xml' }),
      context,
    );
    expect(json(answer)).toEqual({ code: 0, msg: 'ok', data: { total: 12.5 }, requestId: 'req-1' });
    expect(answer.headers['content-type']).toBe('application/json');
  });

  it('wraps an unmapped failure in the envelope with its status', async () => {
    const answer = await mapResponse(
      rule(undefined, { envelope: true }),
      upstream('{"error":"nope"}', 404),
      context,
    );
    expect(answer.status).toBe(404);
    expect(json(answer)).toMatchObject({ code: 404, data: { error: 'nope' } });
  });

  it('relays answers without a body as they are', async () => {
    const noContent = upstream('', 204);
    expect(await mapResponse(rule('"x"', { envelope: true }), noContent, context)).toBe(noContent);
    const head = upstream('', 200);
    expect(await mapResponse(rule('"x"'), head, { ...context, method: 'HEAD' })).toBe(head);
  });

  it('maps an empty body as nothing', async () => {
    const answer = await mapResponse(rule('{ "empty": $not($exists($)) }'), upstream(''), context);
    expect(json(answer)).toEqual({ empty: true });
  });

  it('fails with a stable reason on a compressed, malformed or unmappable answer', async () => {
    const reason = (r: ResponseRule, a: UpstreamAnswer) =>
      mapResponse(r, a, context).then(
        () => 'mapped',
        (e: DomainError) => `${e.code}:${e.details.reason}`,
      );
    expect(await reason(rule('$'), upstream('{}', 200, { 'content-encoding': 'gzip' }))).toBe(
      'mapping-failed:encoded-answer',
    );
    expect(await reason(rule('$'), upstream('<html>oops</html>', 500))).toBe('mapping-failed:malformed-json');
    expect(await reason(rule('$', { upstreamFormat: 'xml' }), upstream('<a>', 200))).toBe(
      'mapping-failed:malformed-xml',
    );
    expect(await reason(rule('$number("not a number")'), upstream('{}'))).toBe(
      'mapping-failed:expression-failed',
    );
  });

  it('maps any body or answers the stable mapping error, never anything else', async () => {
    const mappings = [
      '{ "a": a, "n": $count(*) }',
      '$string($)',
      '**.name',
      'items[price > 2].{ "p": price }',
    ].map((e) => rule(e));
    const body = fc.oneof(
      fc.json().map((text) => Buffer.from(text)),
      fc.jsonValue().map((v) => Buffer.from(JSON.stringify({ a: v, items: [v], name: v }))),
      fc.string().map((s) => Buffer.from(s)),
      fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...mappings),
        body,
        fc.boolean(),
        fc.integer({ min: 200, max: 599 }),
        async (r, b, enveloped, status) => {
          try {
            const answer = await mapResponse({ ...r, envelope: enveloped }, upstream(b, status), context);
            if (status !== 204 && status !== 304) expect(() => json(answer)).not.toThrow();
          } catch (error) {
            expect(error).toBeInstanceOf(DomainError);
            expect((error as DomainError).code).toBe('mapping-failed');
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
