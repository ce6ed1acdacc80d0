import http from 'node:http';
import net from 'node:net';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';

/** Test helpers for the local servers: raw sockets, plain requests, and a watch for escaped errors. */

/**
 * Writes `data` on a fresh connection and returns everything the server sent until it closed. Given
 * several parts, each is sent once the server has answered the one before.
 */
export function rawExchange(port: number, data: string | string[], timeoutMs = 5000): Promise<string> {
  const parts = Array.isArray(data) ? [...data] : [data];
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no close within ${timeoutMs} ms; got ${Buffer.concat(chunks).toString()}`));
    }, timeoutMs);
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      const next = parts.shift();
      if (next !== undefined) socket.write(next);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    socket.write(parts.shift()!);
  });
}

/** Splits a raw HTTP/1.1 response into status, lower-cased headers and body. */
export function parseResponse(raw: string): {
  status: number;
  headers: Record<string, string>;
  body: string;
} {
  const end = raw.indexOf('\r\n\r\n');
  const [statusLine, ...lines] = raw.slice(0, end < 0 ? raw.length : end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return {
    status: Number(statusLine?.split(' ')[1]),
    headers,
    body: end < 0 ? '' : raw.slice(end + 4),
  };
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request with the path sent as written; a reset rejects. */
export function request(
  port: number,
  path: string,
  init: {
    method?: string;
    headers?: Record<string, string>;
    body?: Buffer | string;
    agent?: http.Agent;
  } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: init.method ?? 'GET',
        headers: init.headers,
        agent: init.agent ?? false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

/** Sends the head of a request with a body, part of that body, then resets the connection. */
export function abortMidBody(port: number, path = '/'): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(
        `POST ${path} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"a":`,
      );
      setTimeout(() => {
        socket.resetAndDestroy();
        resolve();
      }, 50);
    });
    socket.on('error', () => undefined);
  });
}

export const listen = (server: http.Server): Promise<number> =>
  new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
  });

export const close = (server: http.Server): Promise<void> =>
  new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

/**
 * Fails the test when an error escapes to the process (an unhandled rejection or an uncaught
 * exception), which is what would end `npm start`.
 */
export function watchEscapedErrors(): unknown[] {
  const escaped: unknown[] = [];
  const record = (error: unknown) => void escaped.push(error);
  beforeAll(() => {
    process.on('unhandledRejection', record);
    process.on('uncaughtException', record);
  });
  afterAll(() => {
    process.off('unhandledRejection', record);
    process.off('uncaughtException', record);
  });
  afterEach(async () => {
    await new Promise((r) => setTimeout(r, 20));
    expect(escaped).toEqual([]);
  });
  return escaped;
}
