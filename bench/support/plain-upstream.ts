import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The upstream of the throughput runs, in a process of its own (`node bench/support/plain-upstream.ts`):
 * answers every request at once with a small JSON body, keeps connections alive, prints its URL.
 */
const body = JSON.stringify({ ok: true, items: [1, 2, 3] });
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  console.log(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
