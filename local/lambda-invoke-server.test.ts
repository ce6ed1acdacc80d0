import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LambdaTimeoutError } from './lambda-host.ts';
import { functionNameOf, type LambdaInvokeServer, startLambdaInvokeServer } from './lambda-invoke-server.ts';

const host = {
  invoke: async (id: string, event: unknown) => {
    if (id === 'stack/Fails') throw new TypeError('no such order');
    if (id === 'stack/Slow') throw new LambdaTimeoutError('timed out');
    return { id, event };
  },
};

let server: LambdaInvokeServer;
let client: LambdaClient;

beforeAll(async () => {
  server = await startLambdaInvokeServer({
    host,
    functions: new Map([
      ['portico-internal-orders', { id: 'stack/Orders' }],
      ['fails', { id: 'stack/Fails' }],
      ['slow', { id: 'stack/Slow', timeoutMs: 3000 }],
    ]),
    log: () => undefined,
  });
  client = new LambdaClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});
afterAll(() => server.close());

const invoke = (name: string, payload: unknown = {}) =>
  client.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(payload)) }));
const json = (payload: Uint8Array | undefined) => JSON.parse(Buffer.from(payload!).toString());

describe('the local Lambda Invoke endpoint', () => {
  it('runs a function by name or ARN and answers its result', async () => {
    const byName = await invoke('portico-internal-orders', { a: 1 });
    expect(byName.StatusCode).toBe(200);
    expect(byName.FunctionError).toBeUndefined();
    expect(json(byName.Payload)).toEqual({ id: 'stack/Orders', event: { a: 1 } });
    const byArn = await invoke('arn:aws:lambda:us-east-1:123456789012:function:portico-internal-orders:live');
    expect(json(byArn.Payload).id).toBe('stack/Orders');
  });

  it('reports a thrown error and a timeout as function errors, as Lambda does', async () => {
    const failed = await invoke('fails');
    expect(failed.FunctionError).toBe('Unhandled');
    expect(json(failed.Payload)).toMatchObject({ errorType: 'TypeError', errorMessage: 'no such order' });
    const late = await invoke('slow');
    expect(late.FunctionError).toBe('Unhandled');
    expect(json(late.Payload)).toMatchObject({
      errorType: 'Sandbox.Timedout',
      errorMessage: expect.stringContaining('Task timed out after 3.00 seconds'),
    });
  });

  it('answers ResourceNotFoundException for a function the template does not have', async () => {
    await expect(invoke('billing')).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('accepts an Event invocation at once', async () => {
    const queued = await client.send(
      new InvokeCommand({
        FunctionName: 'portico-internal-orders',
        InvocationType: 'Event',
        Payload: Buffer.from('{}'),
      }),
    );
    expect(queued.StatusCode).toBe(202);
  });

  it('reads function names out of ARNs and qualified names', () => {
    expect(functionNameOf('arn:aws:lambda:eu-west-1:123456789012:function:f:3')).toBe('f');
    expect(functionNameOf('123456789012:function:f')).toBe('f');
    expect(functionNameOf('f:live')).toBe('f');
  });
});
