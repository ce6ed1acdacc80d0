// An external Lambda extension that does nothing but exist: registered for SHUTDOWN only (so it adds
// nothing to an invocation), it makes Lambda send the runtime SIGTERM before shutting the environment
// down, which the functions' recorders flush on (shared/analytics/batching-recorder.ts).
import http from 'node:http';

const NAME = 'portico-shutdown';
const [host, port] = (process.env.AWS_LAMBDA_RUNTIME_API ?? '').split(':');

/** One call to the Extensions API; no timeout, as `event/next` waits for as long as the environment lives. */
function call(method, path, headers, body) {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host, port, method, path: `/2020-01-01/extension${path}`, headers },
      (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode,
            headers: response.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

const registered = await call(
  'POST',
  '/register',
  { 'Lambda-Extension-Name': NAME, 'Content-Type': 'application/json' },
  JSON.stringify({ events: ['SHUTDOWN'] }),
);
const id = registered.headers['lambda-extension-identifier'];
if (registered.status !== 200 || !id) {
  console.error(`[${NAME}] registration refused: ${registered.status} ${registered.body}`);
  process.exit(1);
}
for (;;) {
  const next = await call('GET', '/event/next', { 'Lambda-Extension-Identifier': id });
  if (next.status !== 200) {
    console.error(`[${NAME}] event/next answered ${next.status}: ${next.body}`);
    process.exit(1);
  }
  if (JSON.parse(next.body).eventType === 'SHUTDOWN') process.exit(0);
}
