import { describe, expect, it } from 'vitest';
import type { DomainError } from '../kernel/errors.ts';
import { validateApiDefinition } from './api-definition.ts';
import { functionAnswer } from './function-payload.ts';
import { TargetAllowList, targetOf } from './upstream-targets.ts';

const errorsOf = (body: unknown) => {
  try {
    validateApiDefinition(body);
    return [];
  } catch (error) {
    return (error as DomainError).details?.errors as { pointer: string; message: string }[];
  }
};
const api = (upstreams: unknown[]) => ({ name: 'orders', timeoutMs: 1000, upstreams });

describe('upstream kinds in a definition', () => {
  it('accepts HTTP servers, functions by name or ARN, and one queue or bus', () => {
    for (const upstreams of [
      [{ url: 'https://a.example' }, { lambda: 'portico-internal-orders', qualifier: 'live', weight: 2 }],
      [{ lambda: 'arn:aws:lambda:eu-west-1:123456789012:function:portico-internal-orders:3' }],
      [{ queue: 'portico-internal-intake.fifo' }],
      [{ eventBus: 'portico-internal-bus', detailType: 'Order Placed' }],
    ])
      expect(errorsOf(api(upstreams)), JSON.stringify(upstreams)).toEqual([]);
  });

  it('refuses mixed members, a qualifier twice, a queue URL and an async upstream among others', () => {
    expect(errorsOf(api([{ lambda: 'f', detailType: 'x' }]))).toContainEqual({
      pointer: '/upstreams/0/detailType',
      message: 'is not allowed with lambda',
    });
    expect(
      errorsOf(api([{ lambda: 'arn:aws:lambda:eu-west-1:123456789012:function:f:live', qualifier: 'v2' }])),
    ).toContainEqual({ pointer: '/upstreams/0/qualifier', message: 'is already in the function ARN' });
    expect(errorsOf(api([{ queue: 'https://evil.example/123456789012/q' }]))[0]!.pointer).toBe(
      '/upstreams/0/queue',
    );
    expect(errorsOf(api([{ queue: 'q' }, { url: 'https://a.example' }]))).toContainEqual({
      pointer: '/upstreams/0',
      message: 'an asynchronous upstream (queue or eventBus) must be the API’s only upstream',
    });
    expect(errorsOf(api([{ url: 'https://a.example', lambda: 'f' }])).map((e) => e.pointer)).toContain(
      '/upstreams/0',
    );
  });

  it('keys each upstream for its pool and breaker', () => {
    expect(targetOf({ lambda: 'f', qualifier: 'live' }).key).toBe('lambda:f:live');
    expect(targetOf({ queue: 'q' }).key).toBe('sqs:q');
    expect(targetOf({ eventBus: 'b' })).toMatchObject({ key: 'events:b', detailType: 'Portico API Request' });
    expect(targetOf({ url: 'https://a.example/x' }).key).toBe('https://a.example/x');
  });
});

describe('TargetAllowList', () => {
  const list = new TargetAllowList('portico-internal-');

  it('admits functions, queues and buses named with its prefix, ARNs included, and every URL', () => {
    expect(list.admits(targetOf({ lambda: 'portico-internal-orders' }))).toBe(true);
    expect(
      list.admits(
        targetOf({ lambda: 'arn:aws:lambda:eu-west-1:123456789012:function:portico-internal-o:1' }),
      ),
    ).toBe(true);
    expect(list.admits(targetOf({ lambda: 'arn:aws:lambda:eu-west-1:123456789012:function:billing' }))).toBe(
      false,
    );
    expect(list.admits(targetOf({ queue: 'portico-internal-q' }))).toBe(true);
    expect(
      list.admits(targetOf({ eventBus: 'arn:aws:events:eu-west-1:123456789012:event-bus/default' })),
    ).toBe(false);
    expect(list.admits(targetOf({ url: 'https://a.example' }))).toBe(true);
  });

  it('names each refused upstream by its member', () => {
    expect(
      list.violations([{ url: 'https://a.example' }, { lambda: 'billing' }, { queue: 'other' }]),
    ).toEqual([
      {
        pointer: '/upstreams/1/lambda',
        message: 'must name a function whose name starts with "portico-internal-"',
      },
      {
        pointer: '/upstreams/2/queue',
        message: 'must name a queue whose name starts with "portico-internal-"',
      },
    ]);
  });

  it('admits nothing with an empty prefix', () => {
    expect(new TargetAllowList('').admits(targetOf({ queue: 'q' }))).toBe(false);
  });
});

describe('functionAnswer', () => {
  it('reads a payload 2.0 result, base64 bodies included, and cleans its headers', () => {
    const answer = functionAnswer(
      Buffer.from(
        JSON.stringify({
          statusCode: 201,
          headers: { 'Content-Type': 'text/plain', connection: 'close', 'x-amzn-trace': 'x' },
          body: Buffer.from('hi').toString('base64'),
          isBase64Encoded: true,
        }),
      ),
    );
    expect(answer).toEqual({
      status: 201,
      headers: { 'content-type': 'text/plain' },
      body: Buffer.from('hi'),
    });
  });

  it('makes a 200 of any other result, and a 502 of a payload that is not JSON or a bad status', () => {
    expect(functionAnswer(Buffer.from('"text"')).body.toString()).toBe('text');
    expect(functionAnswer(Buffer.from('[1]')).body.toString()).toBe('[1]');
    expect(() => functionAnswer(Buffer.from('{nope'))).toThrow(/other than JSON/);
    expect(() => functionAnswer(Buffer.from('{"statusCode":42}'))).toThrow(/invalid status/);
  });
});
