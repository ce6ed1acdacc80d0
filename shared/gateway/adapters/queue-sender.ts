import type { SQSClient } from '@aws-sdk/client-sqs';
import { UpstreamFailure } from '../forward.ts';
import type { AsyncHandOff, AsyncSender } from '../ports.ts';

/**
 * `SendMessage` to a queue upstream, named by its name: its URL is looked up once per container. A
 * FIFO queue gets the API as message group and the tracking id as deduplication id.
 */
export function queueSender(
  client: Pick<SQSClient, 'send'>,
  {
    GetQueueUrlCommand,
    SendMessageCommand,
  }: Pick<typeof import('@aws-sdk/client-sqs'), 'GetQueueUrlCommand' | 'SendMessageCommand'>,
): AsyncSender {
  const urls = new Map<string, Promise<string>>();
  const urlOf = (name: string, abortSignal: AbortSignal) => {
    let url = urls.get(name);
    if (!url) {
      url = client
        .send(new GetQueueUrlCommand({ QueueName: name }), { abortSignal })
        .then((r) => r.QueueUrl ?? Promise.reject(new Error('no queue URL')));
      urls.set(name, url);
      url.catch(() => urls.delete(name));
    }
    return url;
  };
  return async (handOff: AsyncHandOff) => {
    if (handOff.target.kind !== 'queue') throw new UpstreamFailure('broken', 'Not a queue upstream.');
    const { queue } = handOff.target;
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), handOff.timeoutMs);
    try {
      await client.send(
        new SendMessageCommand({
          QueueUrl: await urlOf(queue, abort.signal),
          MessageBody: handOff.message,
          MessageAttributes: {
            'portico-tracking-id': { DataType: 'String', StringValue: handOff.trackingId },
            'portico-api': { DataType: 'String', StringValue: handOff.api },
          },
          ...(queue.endsWith('.fifo')
            ? { MessageGroupId: handOff.api, MessageDeduplicationId: handOff.trackingId }
            : {}),
        }),
        { abortSignal: abort.signal },
      );
    } catch {
      throw new UpstreamFailure('unavailable', 'The request could not be queued; nothing was sent.');
    } finally {
      clearTimeout(timer);
    }
  };
}
