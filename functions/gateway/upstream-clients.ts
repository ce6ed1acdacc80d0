import { upstreamEventBridge } from '../../shared/aws/upstream-event-bridge.ts';
import { busSender } from '../../shared/gateway/adapters/bus-sender.ts';
import type { AsyncSender, FunctionInvoker } from '../../shared/gateway/ports.ts';

/** Loads once, on first use; a failed load is tried again by the next call. */
function lazily<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch((error) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
}

// The SDK clients of Lambda and queue upstreams are imported on the first call to one (a gateway whose
// APIs are all HTTP never loads them), the bus upstreams' client made then (`upstreamEventBridge`).
const invoker = lazily(async () => {
  const [{ upstreamLambda }, { lambdaInvoker }] = await Promise.all([
    import('../../shared/aws/lambda.ts'),
    import('../../shared/gateway/adapters/lambda-invoker.ts'),
  ]);
  const { client, sdk } = await upstreamLambda();
  return lambdaInvoker(client, sdk);
});
const queues = lazily(async () => {
  const [{ upstreamSqs }, { queueSender }] = await Promise.all([
    import('../../shared/aws/upstream-sqs.ts'),
    import('../../shared/gateway/adapters/queue-sender.ts'),
  ]);
  const { client, sdk } = await upstreamSqs();
  return queueSender(client, sdk);
});
const toBus: AsyncSender = (request) => busSender(upstreamEventBridge())(request);

export const invokeFunction: FunctionInvoker = async (invocation) => (await invoker())(invocation);

export const handOff: AsyncSender = async (request) =>
  request.target.kind === 'queue' ? (await queues())(request) : toBus(request);
