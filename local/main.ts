import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../infra/repo-root.ts';
import { s256Challenge } from '../shared/identity/pkce.ts';
import { StartupError } from './emulator.ts';
import { type RuntimeInfo, startRuntime } from './runtime.ts';
import { DEMO_REDIRECT_URI } from './seed.ts';

const DEFAULT_PORT = 3000;
const stateDir = path.resolve(REPO_ROOT, process.env.PORTICO_STATE_DIR ?? '.portico');
const infoFile = path.join(stateDir, 'local.json');
const log = (line: string) => console.log(`[portico] ${line}`);

function previousSeed(): Partial<RuntimeInfo> | undefined {
  if (!process.env.AWS_ENDPOINT_URL || !existsSync(infoFile)) return undefined;
  try {
    return JSON.parse(readFileSync(infoFile, 'utf8')) as Partial<RuntimeInfo>;
  } catch {
    return undefined;
  }
}

/** A fixed PKCE verifier for the demo: fine for trying the flow by hand, never for a real client. */
const DEMO_CODE_VERIFIER = 'portico-demo-code-verifier-0123456789-abcdefghij';

function banner(info: RuntimeInfo): string {
  const { baseUrl, demo, demoSandbox, admin, publisher, user, operator, webhook } = info;
  const authorizeUrl = `${baseUrl}/oauth2/authorize?${new URLSearchParams({
    response_type: 'code',
    client_id: demo.clientId,
    redirect_uri: DEMO_REDIRECT_URI,
    scope: 'echo:read',
    code_challenge: s256Challenge(DEMO_CODE_VERIFIER),
    code_challenge_method: 'S256',
  })}`;
  const tokenCall = (id: string, secret: string) =>
    `curl -s -u '${id}:${secret}' -d grant_type=client_credentials ${baseUrl}/oauth2/token`;
  const extract = `node -pe 'JSON.parse(require("fs").readFileSync(0, "utf8")).access_token'`;
  return `
Portico is running locally.

  Web app          ${baseUrl}/ (developer portal; the console at ${baseUrl}/console)
                   sign in as the developer  ${user.username} / ${user.password}
                   or as the console admin   ${operator.username} / ${operator.password}
  API              ${baseUrl}
  OpenAPI          ${baseUrl}/openapi.json
  API catalog      ${baseUrl}/v1/apis (each API's OpenAPI document at /v1/apis/{name}/openapi.json)
  JWKS             ${baseUrl}/.well-known/jwks.json
  Message stream   ${info.webSocketUrl ?? '(no WebSocket API in the template)'} (WebSocket: sdk/message-stream.ts)
  AWS emulator     ${info.awsEndpoint} (${info.emulator === 'moto' ? 'moto, in memory: data is gone when you stop' : 'AWS_ENDPOINT_URL'})
  Demo upstream    ${info.upstreamUrl} (the "echo" API forwards here)
  Lambda Invoke    ${info.lambdaEndpoint} (the template's functions; the "sample-orders" API invokes one)

  Demo app         client_id ${demo.clientId}
                   client_secret ${demo.clientSecret}
                   sandbox: client_id ${demoSandbox.clientId} client_secret ${demoSandbox.clientSecret}
  Admin client     client_id ${admin.clientId}
                   client_secret ${admin.clientSecret}
  Demo publisher   client_id ${publisher.clientId}
                   client_secret ${publisher.clientSecret}
  Demo webhook     the demo app's subscription ${webhook.subscriptionId} to ${webhook.topic}
                   delivers to ${webhook.url} (secret ${webhook.secret})
  Demo user        ${user.username} / ${user.password} (the demo developer; approves apps in the authorization-code flow)

Get a token for the demo app:
  ${tokenCall(demo.clientId, demo.clientSecret)}

Call the echo API through the gateway with it:
  TOKEN=$(${tokenCall(demo.clientId, demo.clientSecret)} | ${extract})
  curl -s -H "Authorization: Bearer $TOKEN" '${baseUrl}/apis/echo/hello?name=portico'

Call the sample-orders API, a Lambda function of the CDK app behind the gateway (functions/samples/orders.ts):
  curl -s -H "Authorization: Bearer $TOKEN" '${baseUrl}/apis/sample-orders/orders'

Create an app through the console API as the admin:
  ADMIN=$(${tokenCall(admin.clientId, admin.clientSecret)} | ${extract})
  curl -s -H "Authorization: Bearer $ADMIN" -H 'content-type: application/json' -d '{"name":"My app","scopes":["echo:read"]}' ${baseUrl}/console/v1/apps

Publish one ${webhook.topic} message as the demo publisher, then watch it arrive: the receiver logs it
here, lists what it got (signature checked), and the demo app sees the delivery and its attempts:
  PUB=$(${tokenCall(publisher.clientId, publisher.clientSecret)} | ${extract})
  curl -s -H "Authorization: Bearer $PUB" -H "Idempotency-Key: order-$RANDOM" -H 'content-type: application/json' -d '{"orderId":"o-1001","total":42.5,"currency":"EUR"}' ${baseUrl}/internal/v1/topics/${webhook.topic}/messages
  curl -s ${info.upstreamUrl}/webhooks
  curl -s -H "Authorization: Bearer $TOKEN" '${baseUrl}/v1/deliveries?topic=${webhook.topic}'

Try the authorization-code flow: open this in a browser, sign in as the demo user, approve,
then copy the code from the address you are sent to (${DEMO_REDIRECT_URI}?code=…; nothing listens there):
  ${authorizeUrl}
  curl -s -u '${demo.clientId}:${demo.clientSecret}' -d grant_type=authorization_code -d redirect_uri=${DEMO_REDIRECT_URI} -d code_verifier=${DEMO_CODE_VERIFIER} -d code=PASTE_THE_CODE ${baseUrl}/oauth2/token

These facts are also in ${path.relative(process.cwd(), infoFile) || infoFile}. Stop with Ctrl-C.
`;
}

async function main() {
  // Lambda runs these functions on Node 22; the local Node 20 notice from the SDK is not news here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const explicitPort = process.env.PORT !== undefined && process.env.PORT !== '';
  const started = Date.now();
  log('starting: local AWS emulator, CDK synthesis, resources, functions…');
  const runtime = await startRuntime({
    port: explicitPort ? Number(process.env.PORT) : DEFAULT_PORT,
    strictPort: explicitPort,
    stateDir,
    log,
    logLevel: process.env.LOG_LEVEL ?? 'WARN',
    accessLog: process.env.ACCESS_LOG !== 'false',
    previousSeed: previousSeed(),
  });
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(infoFile, `${JSON.stringify(runtime.info, null, 2)}\n`, { mode: 0o600 });
  chmodSync(infoFile, 0o600);
  console.log(banner(runtime.info));
  log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    await runtime.stop();
    log('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGHUP', () => void shutdown('SIGHUP'));
  // `npm start` runs us under npm and a shell; a SIGTERM to npm does not always reach this process,
  // so leaving with our parent is what guarantees nothing is orphaned.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void shutdown('parent process exited');
  }, 500).unref();
}

main().catch((error) => {
  if (error instanceof StartupError) console.error(`[portico] cannot start: ${error.message}`);
  else console.error('[portico] failed to start:', error);
  process.exit(1);
});
