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

// The SDK clients of Lambda, queue and bus upstreams are imported on the first call to one: a gateway
// whose APIs are all HTTP never loads them (cold start).
const invoker = lazily(async () => {
  const [{ lambda }, { lambdaInvoker }] = await Promise.all([
    import('../../shared/aws/lambda.ts'),
    import('../../shared/gateway/adapters/lambda-invoker.ts'),
  ]);
  return lambdaInvoker(lambda);
});
const queues = lazily(async () => {
  const [{ upstreamSqs }, { queueSender }] = await Promise.all([
    import('../../shared/aws/upstream-sqs.ts'),
    import('../../shared/gateway/adapters/queue-sender.ts'),
  ]);
  return queueSender(upstreamSqs);
});
const buses = lazily(async () => {
  const [{ upstreamEventBridge }, { busSender }] = await Promise.all([
    import('../../shared/aws/upstream-event-bridge.ts'),
    import('../../shared/gateway/adapters/bus-sender.ts'),
  ]);
  return busSender(upstreamEventBridge);
});

export const invokeFunction: FunctionInvoker = async (invocation) => (await invoker())(invocation);

export const handOff: AsyncSender = async (request) =>
  (await (request.target.kind === 'queue' ? queues() : buses()))(request);
