import http from 'node:http';
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { inject } from 'vitest';
import { localClients } from '../../local/aws.ts';

export const portico = () => inject('portico');

export const aws = () => localClients(portico().awsEndpoint);

export const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

export async function call(path: string, init: RequestInit = {}) {
  const response = await fetch(`${portico().baseUrl}${path}`, init);
  const text = await response.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: response.status, headers: response.headers, body, text };
}

/** A request whose path is sent exactly as written: fetch would normalise dot segments away. */
export function rawGet(
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(portico().baseUrl);
    const request = http.request({ hostname, port, path, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          body: JSON.parse(Buffer.concat(chunks).toString() || 'null'),
        }),
      );
    });
    request.on('error', reject);
    request.end();
  });
}

export async function tokenFor(clientId: string, clientSecret: string, scope?: string): Promise<string> {
  const { status, body } = await call('/oauth2/token', {
    method: 'POST',
    headers: {
      authorization: basic(clientId, clientSecret),
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', ...(scope ? { scope } : {}) }),
  });
  if (status !== 200) throw new Error(`token request failed: ${status} ${JSON.stringify(body)}`);
  return body.access_token;
}

export const adminToken = () => tokenFor(portico().admin.clientId, portico().admin.clientSecret);

/** Polls `check` until it returns a value, for effects that happen asynchronously (pollers). */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A `pk`/`sk` table of a test's own in the emulator, as the DataStack tables are keyed. */
export async function createTable(name: string): Promise<void> {
  await aws().dynamo.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    }),
  );
}

export async function deleteTable(name: string): Promise<void> {
  await aws()
    .dynamo.send(new DeleteTableCommand({ TableName: name }))
    .catch(() => {});
}

export { DynamoDBClient, DynamoDBDocumentClient, KinesisClient, NodeHttpHandler };
