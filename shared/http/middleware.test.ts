import type { Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { createLogger } from '../observability.ts';
import { httpHandler } from './middleware.ts';
import type { HttpEvent, HttpResult } from './types.ts';

const event = {
  version: '2.0',
  routeKey: 'GET /x',
  rawPath: '/x',
  rawQueryString: '',
  headers: {},
  isBase64Encoded: false,
  requestContext: { requestId: 'req-1', http: { method: 'GET', path: '/x', sourceIp: '127.0.0.1' } },
} as unknown as HttpEvent;
const context = { awsRequestId: 'aws-1', functionName: 'test' } as Context;

function run(error: unknown) {
  const logger = createLogger('test');
  const warn = vi.spyOn(logger, 'warn').mockImplementation(() => {});
  const fail = vi.spyOn(logger, 'error').mockImplementation(() => {});
  const handler = httpHandler(logger, async () => {
    throw error;
  });
  return { result: handler(event, context) as Promise<HttpResult>, warn, fail };
}

describe('httpHandler errors', () => {
  it('answers a dependency outage with 503 problem+json and Retry-After, logged as a warning', async () => {
    const { result, warn, fail } = run(Object.assign(new Error('timed out'), { name: 'TimeoutError' }));
    const response = await result;
    expect(response.statusCode).toBe(503);
    expect(response.headers).toMatchObject({
      'content-type': 'application/problem+json',
      'x-request-id': 'req-1',
    });
    expect(Number(response.headers?.['retry-after'])).toBeGreaterThan(0);
    expect(JSON.parse(response.body!)).toMatchObject({
      type: 'urn:portico:problem:service-unavailable',
      status: 503,
      instance: 'req-1',
    });
    expect(warn).toHaveBeenCalledWith(
      'dependency unavailable',
      expect.objectContaining({ failure: 'timeout' }),
    );
    expect(fail).not.toHaveBeenCalled();
  });

  it('still answers any other error with a bare 500, logged as an error', async () => {
    const { result, fail } = run(new TypeError('x is undefined'));
    const response = await result;
    expect(response.statusCode).toBe(500);
    expect(response.headers?.['retry-after']).toBeUndefined();
    expect(fail).toHaveBeenCalledWith('unhandled error', expect.anything());
  });
});
