import type { Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { DomainError } from '../../kernel/errors.ts';
import { createLogger } from '../../observability.ts';
import { connectAuthorization, type StreamEvent, type StreamResult, streamHandler } from './stream-edge.ts';

const context = { awsRequestId: 'aws-1', functionName: 'test' } as Context;
const event = (eventType: 'CONNECT' | 'MESSAGE', extra: Partial<StreamEvent> = {}): StreamEvent =>
  ({
    requestContext: {
      routeKey: eventType === 'CONNECT' ? '$connect' : 'ack',
      eventType,
      requestId: 'req-1',
      connectionId: 'c1=',
    },
    isBase64Encoded: false,
    ...extra,
  }) as StreamEvent;

function run(error: unknown, eventType: 'CONNECT' | 'MESSAGE') {
  const logger = createLogger('test');
  const fail = vi.spyOn(logger, 'error').mockImplementation(() => {});
  vi.spyOn(logger, 'warn').mockImplementation(() => {});
  const handler = streamHandler(logger, async () => {
    throw error;
  });
  return { result: handler(event(eventType), context) as Promise<StreamResult>, fail };
}

describe('the message stream edge', () => {
  it('refuses the upgrade of a $connect with the status of its problem', async () => {
    const { result } = run(new DomainError('invalid-token', 'The access token has expired.'), 'CONNECT');
    const answer = await result;
    expect(answer.statusCode).toBe(401);
    expect(JSON.parse(answer.body!)).toMatchObject({
      type: 'urn:portico:problem:invalid-token',
      instance: 'req-1',
    });
  });

  it('answers a refused frame with an error frame', async () => {
    const refusal = new DomainError('validation-failed', 'deliveryIds is required.', {
      errors: [{ pointer: '/deliveryIds' }],
    });
    const answer = await run(refusal, 'MESSAGE').result;
    expect(answer.statusCode).toBe(200);
    expect(JSON.parse(answer.body!)).toEqual({
      type: 'error',
      code: 'validation-failed',
      detail: 'deliveryIds is required.',
      errors: [{ pointer: '/deliveryIds' }],
      requestId: 'req-1',
    });
  });

  it('tells nothing of an unexpected error but its code, and logs it', async () => {
    const { result, fail } = run(new Error('table portico-MessagesTable is on fire'), 'MESSAGE');
    const answer = await result;
    expect(JSON.parse(answer.body!)).toEqual({ type: 'error', code: 'internal', requestId: 'req-1' });
    expect(fail).toHaveBeenCalled();
  });

  it('takes the token from the Authorization header, or from access_token for browsers', () => {
    expect(connectAuthorization(event('CONNECT', { headers: { Authorization: 'Bearer h' } }))).toBe(
      'Bearer h',
    );
    expect(
      connectAuthorization(
        event('CONNECT', {
          headers: { authorization: 'Bearer h' },
          queryStringParameters: { access_token: 'q' },
        }),
      ),
    ).toBe('Bearer h');
    expect(connectAuthorization(event('CONNECT', { queryStringParameters: { access_token: 'q' } }))).toBe(
      'Bearer q',
    );
    expect(connectAuthorization(event('CONNECT'))).toBeUndefined();
  });
});
