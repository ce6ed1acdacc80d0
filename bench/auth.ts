/**
 * Auth benchmark (`npm run bench:auth`): what Portico's identity code costs over the raw primitives it
 * is built on, measured in-process with the in-memory adapters (no AWS, no network).
 *
 *   1. tokens issued per second: handleTokenRequest (client_credentials, client_secret_post)
 *      vs jose SignJWT(...).sign(privateKey) with an already-imported key;
 *   2. tokens verified per second: TokenVerifier.verify (warm JWKS cache)
 *      vs jose jwtVerify(token, publicKey) with an already-imported key;
 *   3. HMAC request verifications per second: verifySignedRequest on a freshly signed GET each time
 *      vs createHmac + timingSafeEqual over a canonical string of the same size.
 *
 * Each pair: warm-up, then a throughput pass (batch-timed) and a latency pass (each operation timed
 * with process.hrtime.bigint()), each stopping at 20,000 operations or 3 s. Ratio = Portico ops/s ÷
 * baseline ops/s in the same run. A second, shorter table times single steps of the Portico paths
 * (key import, secret check, store calls, canonicalisation...) to show where the extra time goes.
 * Ends with one JSON line holding every figure.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createLocalJWKSet, importJWK, jwtVerify, SignJWT } from 'jose';
import { TtlCache } from '../shared/cache.ts';
import { TOKEN_AUDIENCE } from '../shared/config/names.ts';
import { clientSecretMatches } from '../shared/identity/client-secret.ts';
import { narrowScope } from '../shared/identity/oauth.ts';
import { registerApp } from '../shared/identity/register-app.ts';
import {
  canonicalString,
  computeSignature,
  parseSignatureHeader,
  type SignableRequest,
  signRequest,
  verifySignedRequest,
} from '../shared/identity/request-signing.ts';
import { rotateSigningKeys } from '../shared/identity/rotate-signing-keys.ts';
import { currentKey, publicJwks, SIGNING_ALG } from '../shared/identity/signing-keys.ts';
import { MemoryNonceStore } from '../shared/identity/testing/memory-nonce-store.ts';
import { FakeCipher, MemoryAppStore, MemoryKeyStores } from '../shared/identity/testing/memory-stores.ts';
import {
  CountingFailureLimiter,
  MemoryAuthorizationStore,
  MemoryRefreshTokenStore,
  MemoryTokenStore,
} from '../shared/identity/testing/memory-token-stores.ts';
import { handleTokenRequest, type TokenEndpointRequest } from '../shared/identity/token-endpoint.ts';
import { TokenVerifier } from '../shared/identity/token-verifier.ts';
import {
  type Bounds,
  DEFAULT_OPTIONS,
  formatNumber,
  formatTable,
  type Measurement,
  machineInfo,
  measure,
  type Operation,
  round,
} from './support/measure.ts';

const options = DEFAULT_OPTIONS;
/** The breakdown steps are only there to explain the ratios: shorter passes do. */
const stepBounds: { warmUp: Bounds; run: Bounds } = {
  warmUp: { maxIterations: 200, maxMs: 250 },
  run: { maxIterations: 5_000, maxMs: 1_000 },
};
const settings = {
  issuer: 'https://auth.portico.bench',
  audience: TOKEN_AUDIENCE,
  accessTokenTtlSeconds: 3600,
  refreshTokenTtlSeconds: 30 * 86_400,
};
const SCOPE = 'echo:read';

function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(`bench/auth: ${message}`);
}

// --- set-up (not timed) ----------------------------------------------------------------------------

const keys = new MemoryKeyStores();
await rotateSigningKeys({ privateKeys: keys, publicKeys: keys.publicKeys }, new Date(), 30 * 86_400_000);
const key = currentKey(await keys.load());
check(key !== undefined, 'no current signing key after bootstrap');

// As in functions/oauth/token.ts: the signing keys come through a five-minute cache.
const signingKeys = new TtlCache(() => keys.load(), 300_000);
const deps = {
  apps: new MemoryAppStore(),
  failures: new CountingFailureLimiter(),
  tokens: new MemoryTokenStore(),
  refreshTokens: new MemoryRefreshTokenStore(),
  authorizations: new MemoryAuthorizationStore(),
  signingKeys: () => signingKeys.get(),
  settings,
};
const registered = await registerApp(
  { apps: deps.apps, cipher: new FakeCipher() },
  { name: 'bench', scopes: ['echo:read', 'echo:write'] },
  new Date(),
);
const tokenRequest: TokenEndpointRequest = {
  params: new Map([
    ['grant_type', 'client_credentials'],
    ['scope', SCOPE],
  ]),
  client: {
    method: 'client_secret_post',
    clientId: registered.clientId,
    clientSecret: registered.clientSecret,
  },
  sourceIp: '203.0.113.9',
};
const issue = () => handleTokenRequest(deps, tokenRequest, new Date());

// --- 1. tokens issued ------------------------------------------------------------------------------

const privateKey = await importJWK(key.privateJwk, SIGNING_ALG);
/** The claims and header Portico signs (typ included, so both sides sign the same number of bytes). */
const rawSign = () => {
  const iat = Math.floor(Date.now() / 1000);
  return new SignJWT({
    sub: registered.app.appId,
    client_id: registered.clientId,
    app_id: registered.app.appId,
    scope: SCOPE,
    iss: settings.issuer,
    aud: settings.audience,
    iat,
    exp: iat + settings.accessTokenTtlSeconds,
    jti: randomUUID(),
  })
    .setProtectedHeader({ alg: SIGNING_ALG, kid: key.kid, typ: 'at+jwt' })
    .sign(privateKey);
};

const sample = await issue();
check(sample.scope === SCOPE && sample.token_type === 'Bearer', 'handleTokenRequest did not issue a token');
check(
  (await rawSign()).length === sample.access_token.length,
  'the baseline token differs in size from the Portico one',
);

// --- 2. tokens verified ----------------------------------------------------------------------------

const TOKEN_POOL = 256;
const tokens: string[] = [];
for (let i = 0; i < TOKEN_POOL; i++) tokens.push((await issue()).access_token);
const publicKey = await importJWK(key.publicJwk, SIGNING_ALG);
// Verification itself is measured: the cache of already-verified token strings is turned off here.
const verifier = new TokenVerifier(
  keys.publicKeys,
  { issuer: settings.issuer, audience: settings.audience },
  { cachedVerifications: 0 },
);
const tokenAt = (i: number) => tokens[i % TOKEN_POOL]!;
const rawVerify = (i: number) =>
  jwtVerify(tokenAt(i), publicKey, {
    algorithms: [SIGNING_ALG],
    issuer: settings.issuer,
    audience: settings.audience,
  });
const porticoVerify = (i: number) => verifier.verify(tokenAt(i));

check((await porticoVerify(0)).client_id === registered.clientId, 'TokenVerifier rejected a fresh token');
check((await rawVerify(0)).payload.client_id === registered.clientId, 'jwtVerify rejected a fresh token');

// --- 3. HMAC request verifications -----------------------------------------------------------------

/** A typical signed call through the gateway: a GET with a small query and no body. */
const signedGet: SignableRequest = {
  method: 'GET',
  path: '/v1/orders/ord_8Hq2/items',
  rawQueryString: 'limit=20&cursor=eyJpZCI6NDJ9&sort=-created_at',
  body: '',
};
const secret = registered.clientSecret;
const hmacDeps = {
  secretsFor: async (clientId: string) => (clientId === registered.clientId ? [secret] : []),
  nonces: new MemoryNonceStore(),
};

// Every Portico verification needs a new nonce: sign enough requests up front, outside the timing.
const HEADER_POOL = options.warmUp.maxIterations + 2 * options.run.maxIterations + 16;
const headers: string[] = [];
const canonicals: string[] = [];
const expectedSignatures: Buffer[] = [];
for (let i = 0; i < HEADER_POOL; i++) {
  const { authorization } = signRequest(signedGet, { clientId: registered.clientId, secret });
  const parsed = parseSignatureHeader(authorization);
  check(parsed !== undefined, 'signRequest produced an unparsable header');
  headers.push(authorization);
  canonicals.push(canonicalString(signedGet, parsed));
  expectedSignatures.push(Buffer.from(parsed.signature, 'base64url'));
}

let nextHeader = 0;
const porticoHmac = () => {
  const header = headers[nextHeader++];
  if (header === undefined) throw new Error('bench/auth: ran out of pre-signed requests');
  return verifySignedRequest(signedGet, header, hmacDeps, new Date());
};
const rawHmac = (i: number) => {
  const at = i % HEADER_POOL;
  const digest = createHmac('sha256', secret).update(canonicals[at]!).digest();
  if (!timingSafeEqual(digest, expectedSignatures[at]!)) throw new Error('bench/auth: HMAC mismatch');
};

rawHmac(0);
check((await porticoHmac()).clientId === registered.clientId, 'verifySignedRequest rejected a request');
let replayRejected = false;
await verifySignedRequest(signedGet, headers[0], hmacDeps, new Date()).catch(() => {
  replayRejected = true;
});
check(replayRejected, 'a replayed nonce was accepted');

// --- breakdown: single steps of the Portico paths, to read the ratios by ------------------------

const credential = await deps.apps.getCredential(registered.clientId);
check(credential !== undefined, 'the registered credential is missing');
const secretVerifier = credential.secrets[0]!.verifier;
const jwks = publicJwks(await keys.load());
const parsedFirst = parseSignatureHeader(headers[1]!)!;
const stepNonces = new MemoryNonceStore();
const nonceExpiry = new Date(Date.now() + 3_600_000);

interface Step {
  path: string;
  name: string;
  op: Operation;
}
const steps: Step[] = [
  {
    path: 'issue',
    name: 'importJWK(private key): once per kid (cached since), shown for scale',
    op: () => importJWK(key.privateJwk, SIGNING_ALG),
  },
  {
    path: 'issue',
    name: 'client secret check: SHA-256 + timingSafeEqual',
    op: () => clientSecretMatches(registered.clientSecret, secretVerifier),
  },
  {
    path: 'issue',
    name: 'MemoryAppStore getCredential + getApp (structuredClone)',
    op: async () => {
      await deps.apps.getCredential(registered.clientId);
      await deps.apps.getApp(registered.app.appId);
    },
  },
  {
    path: 'issue',
    name: 'narrowScope',
    op: () => narrowScope(SCOPE, registered.app.scopes),
  },
  {
    path: 'issue',
    name: 'MemoryTokenStore.recordAccessToken',
    op: () =>
      new MemoryTokenStore().recordAccessToken({
        jti: randomUUID(),
        appId: registered.app.appId,
        clientId: registered.clientId,
        subject: registered.app.appId,
        scope: SCOPE,
        grant: 'client_credentials',
        issuedAt: 0,
        expiresAt: 3600,
      }),
  },
  {
    path: 'verify',
    name: 'createLocalJWKSet + key lookup: once per JWKS document (cached since), shown for scale',
    op: () => createLocalJWKSet(jwks)({ alg: SIGNING_ALG, kid: key.kid }),
  },
  {
    path: 'hmac',
    name: 'parseSignatureHeader',
    op: (i) => parseSignatureHeader(headers[i % HEADER_POOL]!),
  },
  {
    path: 'hmac',
    name: 'canonicalString (path, query, SHA-256 of the empty body)',
    op: () => canonicalString(signedGet, parsedFirst),
  },
  {
    path: 'hmac',
    name: 'computeSignature (HMAC-SHA256, base64url)',
    op: (i) => computeSignature(canonicals[i % HEADER_POOL]!, secret),
  },
  {
    path: 'hmac',
    name: 'MemoryNonceStore.remember (new nonce)',
    op: (i) =>
      stepNonces.remember(
        registered.clientId,
        `bench-nonce-${String(i).padStart(8, '0')}-${randomUUID()}`,
        nonceExpiry,
      ),
  },
];

// --- measuring -------------------------------------------------------------------------------------

interface Pair {
  name: string;
  detail: string;
  baseline: Measurement;
  portico: Measurement;
  /** Portico ops/s ÷ baseline ops/s. */
  ratio: number;
}

async function pair(name: string, detail: string, baseline: Operation, portico: Operation): Promise<Pair> {
  process.stderr.write(`measuring ${name}...\n`);
  const b = await measure('baseline', baseline, options);
  const p = await measure('portico', portico, options);
  return { name, detail, baseline: b, portico: p, ratio: p.throughput.opsPerSec / b.throughput.opsPerSec };
}

const machine = machineInfo();
console.log('Portico auth benchmark (in-process, in-memory adapters)');
console.log(`node ${machine.node} | ${machine.cpu} | ${machine.cores} cores | ${machine.platform}`);
console.log(
  `each measurement: warm-up ≤ ${formatNumber(options.warmUp.maxIterations)} ops or ${options.warmUp.maxMs} ms, ` +
    `then ≤ ${formatNumber(options.run.maxIterations)} ops or ${options.run.maxMs / 1000} s per pass`,
);
console.log('ops/s: batch-timed pass; median/p99: second pass, each op timed with process.hrtime.bigint()\n');

const pairs = [
  await pair('Tokens issued', 'client_credentials', rawSign, issue),
  await pair('Tokens verified', 'warm JWKS cache', rawVerify, porticoVerify),
  await pair('HMAC verifications', 'signed GET, 3 query params', rawHmac, porticoHmac),
];

process.stderr.write('measuring the single steps...\n');
const breakdown: { step: Step; measurement: Measurement }[] = [];
for (const step of steps)
  breakdown.push({ step, measurement: await measure(step.name, step.op, stepBounds) });

const baselineLabel: Record<string, string> = {
  'Tokens issued': 'jose SignJWT.sign',
  'Tokens verified': 'jose jwtVerify',
  'HMAC verifications': 'createHmac + timingSafeEqual',
};
const porticoLabel: Record<string, string> = {
  'Tokens issued': 'handleTokenRequest',
  'Tokens verified': 'TokenVerifier.verify',
  'HMAC verifications': 'verifySignedRequest',
};

const row = (name: string, label: string, m: Measurement, ratio: string) => [
  name,
  label,
  formatNumber(m.throughput.opsPerSec),
  formatNumber(m.latency.medianUs, 1),
  formatNumber(m.latency.p99Us, 1),
  ratio,
];
console.log(
  formatTable(
    ['Measurement', 'Code', 'ops/s', 'median µs', 'p99 µs', 'vs baseline'],
    pairs.flatMap((p) => [
      row(p.name, `baseline: ${baselineLabel[p.name]}`, p.baseline, '1.00'),
      row('', `Portico: ${porticoLabel[p.name]}`, p.portico, p.ratio.toFixed(2)),
    ]),
    ['left', 'left', 'right', 'right', 'right', 'right'],
  ),
);
console.log('\n"vs baseline" = Portico ops/s ÷ baseline ops/s, both measured in this run.\n');

console.log(
  `Where the extra time goes: single steps of the Portico paths (≤ ${formatNumber(stepBounds.run.maxIterations)} ops or ${stepBounds.run.maxMs / 1000} s per pass)`,
);
console.log(
  formatTable(
    ['Path', 'Step', 'median µs', 'mean µs (batch)'],
    breakdown.map(({ step, measurement }) => [
      step.path,
      step.name,
      formatNumber(measurement.latency.medianUs, 1),
      formatNumber(1e6 / measurement.throughput.opsPerSec, 1),
    ]),
    ['left', 'left', 'right', 'right'],
  ),
);
console.log('');

const figures = (m: Measurement) => ({
  opsPerSec: round(m.throughput.opsPerSec, 0),
  throughputIterations: m.throughput.iterations,
  throughputMs: round(m.throughput.elapsedMs, 1),
  medianUs: round(m.latency.medianUs, 2),
  p99Us: round(m.latency.p99Us, 2),
  meanUs: round(m.latency.meanUs, 2),
  latencyIterations: m.latency.iterations,
});
console.log(
  JSON.stringify({
    bench: 'auth',
    date: new Date().toISOString(),
    machine,
    options,
    results: pairs.map((p) => ({
      name: p.name,
      detail: p.detail,
      baseline: { code: baselineLabel[p.name], ...figures(p.baseline) },
      portico: { code: porticoLabel[p.name], ...figures(p.portico) },
      ratio: round(p.ratio, 3),
    })),
    steps: breakdown.map(({ step, measurement }) => ({
      path: step.path,
      step: step.name,
      medianUs: round(measurement.latency.medianUs, 2),
      meanUs: round(1e6 / measurement.throughput.opsPerSec, 2),
    })),
  }),
);
