import { describe, expect, it } from 'vitest';
import { dependencyFailure, isDependencyUnavailable } from './dependency-failures.ts';

const named = (name: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`${name} happened`), { name, ...extra });

/** What the SDK throws for a service answer: its name, `$fault` and the HTTP status in `$metadata`. */
const serviceError = (name: string, httpStatusCode: number) =>
  named(name, { $fault: httpStatusCode >= 500 ? 'server' : 'client', $metadata: { httpStatusCode } });

describe('dependencyFailure', () => {
  it.each([
    ['a request timeout of the HTTP handler', named('TimeoutError', { code: 'ETIMEDOUT' }), 'timeout'],
    ['a connection timeout of the HTTP handler', named('TimeoutError'), 'timeout'],
    ['a service-side request timeout', serviceError('RequestTimeoutException', 408), 'timeout'],
    ['a refused connection', named('Error', { code: 'ECONNREFUSED' }), 'network'],
    ['a reset connection', named('Error', { code: 'ECONNRESET' }), 'network'],
    ['a broken pipe', named('Error', { code: 'EPIPE' }), 'network'],
    ['a name that does not resolve', named('Error', { code: 'EAI_AGAIN' }), 'network'],
    ['DynamoDB throttling after the retries', serviceError('ThrottlingException', 400), 'throttled'],
    [
      'exceeded provisioned throughput',
      serviceError('ProvisionedThroughputExceededException', 400),
      'throttled',
    ],
    ['any 429', serviceError('SomethingNew', 429), 'throttled'],
    ['a DynamoDB internal error', serviceError('InternalServerError', 500), 'server-error'],
    ['a KMS internal error', serviceError('KMSInternalException', 500), 'server-error'],
    ['an unmodelled 503', serviceError('UnknownError', 503), 'server-error'],
    [
      "the function's own deadline (middy's early timeout)",
      Object.assign(new Error('[AbortError]: The operation was aborted.'), { name: 'TimeoutError' }),
      'timeout',
    ],
    [
      'a dependency failure wrapped as a cause',
      new Error('load failed', { cause: named('TimeoutError') }),
      'timeout',
    ],
  ])('classifies %s', (_what, error, kind) => {
    expect(dependencyFailure(error)).toBe(kind);
    expect(isDependencyUnavailable(error)).toBe(true);
  });

  it.each([
    ['a programming error', new TypeError('x is undefined')],
    ['a message that merely mentions a socket error', new Error('connect ECONNREFUSED 10.0.0.1:5432')],
    ['a validation error from the service', serviceError('ValidationException', 400)],
    ['a missing table (a configuration error)', serviceError('ResourceNotFoundException', 400)],
    ['a failed condition', serviceError('ConditionalCheckFailedException', 400)],
    ['access denied', serviceError('AccessDeniedException', 400)],
    ['an aborted call', named('AbortError')],
    ['a string', 'TimeoutError'],
    ['nothing', undefined],
  ])('does not classify %s', (_what, error) => {
    expect(dependencyFailure(error)).toBeUndefined();
  });

  it('stops following a cause cycle', () => {
    const a = new Error('a') as Error & { cause?: unknown };
    a.cause = a;
    expect(dependencyFailure(a)).toBeUndefined();
  });
});
