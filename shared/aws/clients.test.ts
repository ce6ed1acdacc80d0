import net from 'node:net';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dependencyFailure } from '../kernel/dependency-failures.ts';
import { BACKGROUND_PROFILE, clientConfig, REQUEST_PATH_PROFILE } from './clients.ts';
import { backgroundDynamoDocument, dynamoDocument } from './dynamo.ts';
import { eventBridge } from './event-bridge.ts';
import { kinesis } from './kinesis.ts';
import { kms } from './kms.ts';
import { backgroundSecretsManager, secretsManager } from './secrets-manager.ts';

/** A server that accepts connections and never answers: what a hung dependency looks like. */
let silent: net.Server;
const sockets = new Set<net.Socket>();
let silentPort: number;
let closedPort: number;

beforeAll(async () => {
  silent = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  silentPort = (silent.address() as net.AddressInfo).port;
  const probe = net.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  closedPort = (probe.address() as net.AddressInfo).port;
  await new Promise((r) => probe.close(r));
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => silent.close(r));
});

const clientAt = (port: number) =>
  new DynamoDBClient({
    ...clientConfig(REQUEST_PATH_PROFILE),
    endpoint: `http://127.0.0.1:${port}`,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });

async function failureOf(client: DynamoDBClient) {
  const started = performance.now();
  const error = await client.send(new GetItemCommand({ TableName: 't', Key: { pk: { S: 'x' } } })).then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, ms: performance.now() - started };
}

describe('SDK client profiles', () => {
  it('keeps the request path well under the 2 s a caller may wait', () => {
    const worst = REQUEST_PATH_PROFILE.maxAttempts * REQUEST_PATH_PROFILE.requestTimeoutMs;
    expect(worst).toBeLessThanOrEqual(1_500);
    expect(BACKGROUND_PROFILE.requestTimeoutMs).toBeGreaterThan(REQUEST_PATH_PROFILE.requestTimeoutMs);
  });

  it('configures every shared client with its profile', async () => {
    const attempts = async (client: { config: { maxAttempts: unknown } }) =>
      (client.config.maxAttempts as () => Promise<number>)();
    for (const client of [dynamoDocument, kms, secretsManager]) {
      expect(await attempts(client)).toBe(REQUEST_PATH_PROFILE.maxAttempts);
    }
    for (const client of [backgroundDynamoDocument, backgroundSecretsManager, kinesis, eventBridge]) {
      expect(await attempts(client)).toBe(BACKGROUND_PROFILE.maxAttempts);
    }
  });

  it('gives up on a dependency that accepts the connection and never answers', async () => {
    const { error, ms } = await failureOf(clientAt(silentPort));
    expect(dependencyFailure(error)).toBe('timeout');
    expect((error as { $metadata?: { attempts?: number } }).$metadata?.attempts).toBe(
      REQUEST_PATH_PROFILE.maxAttempts,
    );
    expect(ms).toBeGreaterThanOrEqual(
      REQUEST_PATH_PROFILE.requestTimeoutMs * REQUEST_PATH_PROFILE.maxAttempts - 50,
    );
    expect(ms).toBeLessThan(2_000);
  });

  it('fails fast on a refused connection', async () => {
    const { error, ms } = await failureOf(clientAt(closedPort));
    expect(dependencyFailure(error)).toBe('network');
    expect(ms).toBeLessThan(1_000);
  });
});
