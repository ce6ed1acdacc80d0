import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The demo upstream behind the `echo` API: answers every request with what it received, so a
 * newcomer can see exactly what the gateway forwards (identity headers, trace context). Two helper
 * paths make failure easy to try: /status/{code} answers with that status, /delay/{ms} waits first.
 */
export async function startDemoUpstream(port = 0): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://upstream');
    const delay = /\/delay\/(\d+)$/.exec(url.pathname);
    if (delay) await new Promise((r) => setTimeout(r, Math.min(Number(delay[1]), 60_000)));
    const status = /\/status\/(\d{3})$/.exec(url.pathname);
    res.writeHead(status ? Number(status[1]) : 200, {
      'content-type': 'application/json',
      server: 'demo-upstream',
    });
    res.end(
      JSON.stringify({
        method: req.method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        body,
      }),
    );
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
