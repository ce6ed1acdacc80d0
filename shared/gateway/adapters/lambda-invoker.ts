import type { LambdaClient } from '@aws-sdk/client-lambda';
import { UpstreamFailure } from '../forward.ts';
import type { FunctionInvocation, FunctionInvoker } from '../ports.ts';

/** Lambda turned the call away without running it: worth a 503 and a retry later, not a 502. */
const TURNED_AWAY = new Set([
  'TooManyRequestsException',
  'ResourceNotReadyException',
  'ResourceConflictException',
  'EC2ThrottledException',
  'ServiceException',
]);

/**
 * Lambda `Invoke` (`RequestResponse`), aborted at the call's timeout. A function error is not thrown
 * but returned (`functionError`), as Lambda returns it: the pipeline decides what it means.
 */
export function lambdaInvoker(
  client: Pick<LambdaClient, 'send'>,
  { InvokeCommand }: Pick<typeof import('@aws-sdk/client-lambda'), 'InvokeCommand'>,
): FunctionInvoker {
  return async (invocation: FunctionInvocation) => {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), invocation.timeoutMs);
    try {
      const result = await client.send(
        new InvokeCommand({
          FunctionName: invocation.functionName,
          ...(invocation.qualifier ? { Qualifier: invocation.qualifier } : {}),
          InvocationType: 'RequestResponse',
          Payload: Buffer.from(invocation.payload),
        }),
        { abortSignal: abort.signal },
      );
      return {
        payload: result.Payload ?? new Uint8Array(),
        ...(result.FunctionError ? { functionError: result.FunctionError } : {}),
      };
    } catch (error) {
      const name = (error as Error)?.name ?? '';
      if (abort.signal.aborted || name === 'AbortError' || name === 'TimeoutError')
        throw new UpstreamFailure(
          'timeout',
          `The upstream function did not answer within ${invocation.timeoutMs} ms.`,
        );
      if (TURNED_AWAY.has(name))
        throw new UpstreamFailure('unavailable', 'The upstream function cannot take calls right now.');
      throw new UpstreamFailure('broken', 'The upstream function could not be invoked.');
    } finally {
      clearTimeout(timer);
    }
  };
}
