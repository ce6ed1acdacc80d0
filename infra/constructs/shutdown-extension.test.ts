import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SHUTDOWN_EXTENSION_DIR } from './shutdown-extension.ts';

const EXECUTABLE = path.join(SHUTDOWN_EXTENSION_DIR, 'extensions', 'portico-shutdown');

/** A stand-in for Lambda's Extensions API: takes the registration, then answers `event/next` with `events`. */
async function extensionsApi(events: object[]) {
  const seen: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    seen.push({
      method: req.method!,
      url: req.url!,
      headers: req.headers,
      body: Buffer.concat(chunks).toString(),
    });
    if (req.url === '/2020-01-01/extension/register') {
      res.writeHead(200, { 'Lambda-Extension-Identifier': 'ext-1', 'content-type': 'application/json' });
      res.end('{}');
      return;
    }
    const next = events.shift();
    // Lambda holds `event/next` until there is an event; here the next one comes after a while.
    setTimeout(
      () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(next)),
      50,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, seen, address: `127.0.0.1:${(server.address() as AddressInfo).port}` };
}

let server: http.Server | undefined;
afterEach(() => server?.close());

const run = (address: string) =>
  new Promise<number | null>((resolve) => {
    const child = spawn(EXECUTABLE, [], {
      env: { ...process.env, AWS_LAMBDA_RUNTIME_API: address },
      stdio: 'ignore',
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });

describe('the shutdown extension', () => {
  it('is executable, as Lambda starts every file of /opt/extensions', () => {
    expect(statSync(EXECUTABLE).mode & 0o111).not.toBe(0);
  });

  it('registers under its file name for SHUTDOWN only, waits for events, and ends on SHUTDOWN', async () => {
    const api = await extensionsApi([{ eventType: 'SHUTDOWN', shutdownReason: 'spindown', deadlineMs: 0 }]);
    server = api.server;
    expect(await run(api.address)).toBe(0);
    const [register, next] = api.seen;
    expect(register).toMatchObject({ method: 'POST', url: '/2020-01-01/extension/register' });
    expect(register!.headers['lambda-extension-name']).toBe('portico-shutdown');
    expect(JSON.parse(register!.body)).toEqual({ events: ['SHUTDOWN'] });
    expect(next).toMatchObject({ method: 'GET', url: '/2020-01-01/extension/event/next' });
    expect(next!.headers['lambda-extension-identifier']).toBe('ext-1');
    expect(api.seen).toHaveLength(2);
  });

  it('fails (and so fails the environment’s init, visibly) when its registration is refused', async () => {
    const refusing = http.createServer((_req, res) => res.writeHead(403).end('{"errorType":"Forbidden"}'));
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    server = refusing;
    expect(await run(`127.0.0.1:${(refusing.address() as AddressInfo).port}`)).toBe(1);
  });
});
