import type { CallRecord } from '../analytics/call-record.ts';
import {
  type CallCapture,
  DEFAULT_REQUEST_LOG_POLICY,
  type RequestLogPolicy,
} from '../analytics/request-log.ts';
import { type IdentityTokenSigner, identityClaims } from '../identity/identity-token.ts';
import { dependencyUnavailable, isDependencyUnavailable } from '../kernel/dependency-failures.ts';
import { DomainError, type ErrorCode } from '../kernel/errors.ts';
import { continueTrace, type TraceContext } from '../tracing/traceparent.ts';
import type { ApiDefinition, ApiRoute } from './api-definition.ts';
import { acceptedAnswer, asyncRequestMessage, MAX_ASYNC_MESSAGE_BYTES } from './async-message.ts';
import type { BulkheadRegistry } from './bulkhead/bulkhead.ts';
import type { GatewayAnswer, GatewayCall } from './call.ts';
import type { CallerAuthentication } from './caller-authentication.ts';
import { canonicalPath } from './canonical-path.ts';
import type { Permit } from './circuit-breaker/breaker.ts';
import { breakerOpenProblem, degradedAnswer } from './circuit-breaker/degrade.ts';
import type { BreakerRegistry, RegistryAcquisition } from './circuit-breaker/registry.ts';
import { type CompiledApi, compileApi } from './compiled-api.ts';
import {
  type CallerIdentity,
  headersForUpstream,
  type ProxiedRequest,
  UpstreamFailure,
  upstreamUrl,
} from './forward.ts';
import { functionAnswer, functionEvent } from './function-payload.ts';
import { deprecationHeaders } from './lifecycle.ts';
import { loadSampler } from './mock/schema-sample.ts';
import type {
  AsyncSender,
  FunctionInvoker,
  PartnerHealthGate,
  UpstreamAnswer,
  UpstreamTransport,
} from './ports.ts';
import type { AppPlans } from './rate-limit/app-plans.ts';
import type { RateLimiter } from './rate-limit/limiter.ts';
import { rulesFor } from './rate-limit/policy.ts';
import { rateLimitedProblem } from './rate-limit/problem.ts';
import type { RouteMatch } from './route-table.ts';
import type { AsyncTarget, TargetAllowList, UpstreamTarget } from './upstream-targets.ts';
import {
  failureKindForStatus,
  type Pick as UpstreamPick,
  type UpstreamPool,
  type UpstreamPools,
} from './upstreams/balancer.ts';
import { findVisibleApi } from './visible-api.ts';

/**
 * The gateway's invoke pipeline, stage by stage (each stage is its own module; this file only orders
 * them and carries the call's state between them):
 *
 *  1. request id (middleware) and W3C `traceparent` (continued or started)
 *  2. API lookup — in-memory registry view, 404 `unknown-api`
 *  3. IP rules — CIDR allow/deny, before any authentication work (403)
 *  4. CORS — a preflight is answered here from the API's settings; other answers get the headers
 *  5. authentication — bearer token or HMAC signature (401), then the API's auth modes (403)
 *  6. scope check — the API's and the matched route's required scopes (403)
 *  7. rate limits — app, API, app×API and source IP budgets (429 with `Retry-After`)
 *  8. request validation — size limits (413), route (404/405), media type (415), JSON Schema (400)
 *  9. sandbox and mock — sandbox credentials go to the sandbox upstream or the mock; mock mode answers here
 *     (mock answers are never transformed: they are written in the published structure)
 * 10. partner health — an API of an unhealthy partner is not called (503 `partner-unavailable` or the
 *     API's degrade answer); during a ramp only its share of calls goes through
 * 11. request transform — the route's JSONata mapping of the validated JSON body (400 `malformed-body`,
 *     502 `mapping-failed`)
 * 12. bulkhead — the API group's in-flight cap (503 `bulkhead-full`)
 * 13. circuit breaker and upstream selection — the API's and the chosen server's breakers (503
 *     `circuit-open` or the API's degrade answer); weighted round-robin or least-in-flight over
 *     servers that are not ejected
 * 14. upstream call with the API's timeout (504 `upstream-timeout`, 502 `bad-gateway`); a call that
 *     reached a partner's upstream is counted for its automatic health. An HTTP server is called over
 *     HTTP, a Lambda function invoked with a payload 2.0 event (its failure 502, throttling 503); a
 *     queue or bus upstream gets the request as a message and the caller a 202 with its tracking id
 *     (no response transform: the answer is the gateway's own)
 * 15. response transform — XML read as JSON, the route's mapping, the envelope (502 `mapping-failed`)
 * 16. response header filtering — hop-by-hop and upstream internals, then the API's allow/deny list
 * 17. analytics record and request log — one each per call, buffered, never awaited (the log is
 *     redacted when it is written, not here)
 */
export interface GatewayDeps {
  registry: { get(name: string): Promise<ApiDefinition | undefined> };
  callers: Pick<CallerAuthentication, 'authenticate'>;
  limiter: Pick<RateLimiter, 'check'>;
  /** Each app's own plan, replacing the API's policies for the `app` and `app-api` dimensions. */
  appPlans: Pick<AppPlans, 'limitsFor'>;
  breakers: BreakerRegistry;
  bulkheads: BulkheadRegistry;
  pools: UpstreamPools;
  recorder: { record(record: CallRecord): void };
  /** The request log: absent, calls are not logged. */
  requestLog?: { record(capture: CallCapture): void };
  transport: UpstreamTransport;
  /** Lambda upstreams: absent, an API with one answers 502. */
  functions?: FunctionInvoker;
  /** Queue and bus upstreams: absent, an API with one answers 503. */
  asyncSender?: AsyncSender;
  /**
   * The functions, queues and buses calls may go to, checked on every call as the egress policy is
   * for URLs (a definition stored before the list changed): absent, none.
   */
  targets?: Pick<TargetAllowList, 'admits'>;
  clock?: () => number;
  /** The status a refusal is answered with (the edge's table), for the call's analytics record. */
  statusOf: (code: ErrorCode) => number;
  /** Called once per request after the answer is ready (e.g. to start a background state sync). */
  afterCall?: () => void;
  /** Partner health: absent, every partner is taken as healthy. */
  partners?: PartnerHealthGate;
  /** Told of every authenticated call to a deprecated API, to tell the app (deprecated-calls.ts). */
  deprecatedCalls?: { called(api: ApiDefinition, appId: string, at: number): void };
  /** Signs the identity token every upstream call carries (identity-token.ts): absent, calls carry none. */
  identityTokens?: { issuer: string; signer(): Promise<IdentityTokenSigner> };
}

const API_PREFIX = /^\/apis\/[^/]+/;

interface CallState {
  record: CallRecord;
  logPolicy: RequestLogPolicy;
  requestBody?: Buffer;
  /** The route the call matched, with its path parameters. */
  route?: RouteMatch<ApiRoute>;
  response?: CallCapture['response'];
  /** Added to every answer of this call, errors included: CORS and rate-limit headers. */
  headers: Record<string, string>;
}

export class Gateway {
  private readonly clock: () => number;

  constructor(private readonly deps: GatewayDeps) {
    this.clock = deps.clock ?? Date.now;
  }

  /**
   * Answers the call, or throws the DomainError refusing it, carrying the call's CORS and rate-limit
   * fields. Anything else thrown is a bug (the edge answers it with an opaque 500).
   */
  async handle(call: GatewayCall): Promise<GatewayAnswer> {
    const started = performance.now();
    const trace = continueTrace(call.headers.traceparent);
    const state: CallState = {
      record: newRecord(call, trace),
      logPolicy: DEFAULT_REQUEST_LOG_POLICY,
      headers: {},
    };
    try {
      const answer = await this.run(call, trace, state);
      state.record.status = answer.status;
      state.response = {
        headers: answer.headers,
        ...(answer.body !== undefined ? { body: answer.body } : {}),
      };
      return answer;
    } catch (error) {
      // A dependency outage is a refusal like any other: recorded as such and answered with the call's
      // CORS headers, so a browser sees the Retry-After.
      const refusal = isDependencyUnavailable(error) ? dependencyUnavailable(error) : error;
      if (!(refusal instanceof DomainError)) {
        state.record.status = 500;
        state.record.errorType = 'internal';
        throw error;
      }
      state.record.status = this.deps.statusOf(refusal.code);
      state.record.errorType = refusal.code;
      if (Object.keys(state.headers).length === 0) throw refusal;
      throw new DomainError(
        refusal.code,
        refusal.detail,
        refusal.details,
        { ...refusal.hints, fields: withCallHeaders(lowerCased(refusal.hints.fields ?? {}), state.headers) },
        refusal.cause,
      );
    } finally {
      state.record.latencyMs = performance.now() - started;
      this.deps.recorder.record(state.record);
      this.deps.requestLog?.record({
        call: state.record,
        spanId: trace.spanId,
        ...(trace.parentSpanId ? { parentSpanId: trace.parentSpanId } : {}),
        rawQuery: call.rawQueryString,
        requestHeaders: call.headers,
        ...(state.requestBody ? { requestBody: state.requestBody } : {}),
        ...(state.response ? { response: state.response } : {}),
        policy: state.logPolicy,
      });
      this.deps.afterCall?.();
    }
  }

  private async run(call: GatewayCall, trace: TraceContext, state: CallState): Promise<GatewayAnswer> {
    const { record } = state;
    const { apiName } = call;
    const definition = await findVisibleApi((name) => this.deps.registry.get(name), apiName);
    Object.assign(state.headers, deprecationHeaders(definition.lifecycle));
    const api = compileApi(definition);
    if (definition.partnerId) record.partnerId = definition.partnerId;
    if (definition.requestLog) state.logPolicy = { ...DEFAULT_REQUEST_LOG_POLICY, ...definition.requestLog };
    const canonical = canonicalPath(call.rawPath.replace(API_PREFIX, ''));
    if (!canonical.ok) throw new DomainError('bad-request', canonical.reason);
    const { path } = canonical;
    record.path = `${call.rawPath.match(API_PREFIX)?.[0] ?? ''}${path}`.slice(0, 512);

    if (!api.ipRules.admits(call.sourceIp)) {
      throw new DomainError('forbidden', 'Calls to this API are not accepted from your network address.');
    }

    const { headers } = call;
    if (api.cors.isPreflight(call.method, headers)) {
      const preflight = api.cors.preflight(headers);
      if (preflight && 'refused' in preflight) throw new DomainError('forbidden', preflight.reason);
      if (preflight) return { status: preflight.statusCode, headers: preflight.headers };
    }
    Object.assign(state.headers, api.cors.responseHeaders(headers));

    const caller = await this.deps.callers.authenticate(call);
    Object.assign(record, { appId: caller.appId, clientId: caller.clientId });
    if (caller.sandbox) record.sandbox = true;
    if (!definition.authModes.includes(caller.via)) {
      throw new DomainError(
        'forbidden',
        `This API does not accept ${caller.via === 'token' ? 'access tokens' : 'signed requests'}.`,
      );
    }
    if (definition.lifecycle?.status === 'deprecated')
      this.deps.deprecatedCalls?.called(definition, caller.appId, this.clock());

    state.route = api.routes.match(call.method, path);
    const route = state.route?.route;
    if (route) record.route = `${route.method} ${route.path}`;
    checkScopes(definition, route, caller);

    const plan = await this.deps.appPlans.limitsFor(caller.appId);
    const limits = await this.deps.limiter.check(
      rulesFor(
        { appId: caller.appId, api: definition.name, ip: call.sourceIp },
        { api: definition.rateLimits, ...(plan ? { app: plan } : {}) },
      ),
    );
    for (const [name, value] of Object.entries(limits.headers)) state.headers[name.toLowerCase()] = value;
    if (!limits.allowed) throw rateLimitedProblem(limits);

    const body = call.body();
    record.bytesIn = body.length;
    state.requestBody = body;
    const request: ProxiedRequest = {
      method: call.method,
      path,
      rawQueryString: call.rawQueryString,
      headers,
      body,
      sourceIp: call.sourceIp,
      requestId: call.requestId,
    };
    api.validator.check(request);

    const answer = await this.answer(api, request, caller, trace, state);
    return { ...answer, headers: withCallHeaders(answer.headers, state.headers) };
  }

  /** Stages 9–16: where the call goes and what comes back. */
  private async answer(
    api: CompiledApi,
    request: ProxiedRequest,
    caller: CallerIdentity,
    trace: TraceContext,
    state: CallState,
  ): Promise<GatewayAnswer> {
    const { definition } = api;
    const sandboxUrl = caller.sandbox ? definition.sandboxUpstream?.url : undefined;
    if (definition.mock?.enabled || (caller.sandbox && !sandboxUrl)) {
      state.record.mock = true;
      await loadSampler();
      const mocked = api.mock().answer(request.method, request.path);
      if (!mocked) throw new DomainError('not-found', 'The mock has no answer for this route.');
      state.record.bytesOut = mocked.body.length;
      return { status: mocked.status, headers: mocked.headers, body: mocked.body };
    }

    const partnerId = sandboxUrl ? undefined : definition.partnerId;
    if (partnerId && this.deps.partners) {
      const refusal = await this.deps.partners.refusal(partnerId);
      if (refusal) return this.refuseForPartner(api, refusal, state);
    }

    const transforms = api.transforms.forCall(state.route, request);
    const outbound = transforms ? await transforms.request(request) : request;
    const identityToken = await this.identityTokenFor(definition.name, request, caller);
    const lease = this.deps.bulkheads.enter(definition.bulkheadGroup);
    try {
      const call = { request: outbound, caller, trace, identityToken };
      const upstream = sandboxUrl
        ? await this.callOnce(api, sandboxUrl, call)
        : await this.callThroughBreakers(api, call, state);
      if (!isUpstreamAnswer(upstream)) return upstream;
      state.record.upstreamLatencyMs = upstream.upstreamLatencyMs;
      const answered = transforms && !api.asynchronous ? await transforms.response(upstream) : upstream;
      state.record.bytesOut = answered.body.length;
      return {
        status: answered.status,
        headers: api.responseHeaders.apply(answered.headers),
        body: answered.body,
      };
    } finally {
      lease.release();
    }
  }

  /**
   * Signs the call's identity token for the path a server receives; without a key the gateway cannot
   * vouch for the caller, so it calls nobody.
   */
  private async identityTokenFor(
    api: string,
    request: ProxiedRequest,
    caller: CallerIdentity,
  ): Promise<((path: string) => string) | undefined> {
    const tokens = this.deps.identityTokens;
    if (!tokens) return undefined;
    let signer: IdentityTokenSigner;
    try {
      signer = await tokens.signer();
    } catch {
      throw new DomainError(
        'service-unavailable',
        'The gateway cannot sign the caller’s identity right now.',
      );
    }
    return (path) =>
      signer.sign(
        identityClaims({
          issuer: tokens.issuer,
          api,
          appId: caller.appId,
          clientId: caller.clientId,
          ...(caller.innerId ? { innerId: caller.innerId } : {}),
          scopes: caller.scopes,
          sandbox: caller.sandbox,
          requestId: request.requestId,
          method: request.method,
          path,
          nowMs: this.clock(),
        }),
      );
  }

  /** One attempt at the upstream whose key is `key` (a sandbox upstream's URL is its own key). */
  private callOnce(api: CompiledApi, key: string, call: UpstreamCall): Promise<UpstreamAnswer> {
    const target = api.targets.get(key);
    if (target && target.kind !== 'http' && !this.deps.targets?.admits(target))
      return Promise.reject(new UpstreamFailure('refused', 'The upstream could not be reached.'));
    if (target?.kind === 'function') return this.invokeFunction(api, target, call);
    if (target?.kind === 'queue' || target?.kind === 'event-bus') return this.handOff(api, target, call);
    return this.callServer(api, key, call);
  }

  private callServer(api: CompiledApi, base: string, call: UpstreamCall): Promise<UpstreamAnswer> {
    const { request, caller, trace, identityToken } = call;
    const url = upstreamUrl(base, request.path, request.rawQueryString);
    // Signed for the path this server receives (its base path included), so it can check it.
    const token = identityToken?.(url.pathname);
    return this.deps.transport({
      url,
      method: request.method,
      headers: headersForUpstream(request, caller, trace, (h) => api.requestHeaders.apply(h), token),
      body: request.body,
      timeoutMs: api.definition.timeoutMs,
    });
  }

  /** Signed for the path the function receives: the path below the API, as an HTTP server's base `/`. */
  private async invokeFunction(
    api: CompiledApi,
    target: Extract<UpstreamTarget, { kind: 'function' }>,
    call: UpstreamCall,
  ): Promise<UpstreamAnswer> {
    const invoke = this.deps.functions;
    if (!invoke) throw new UpstreamFailure('broken', 'The gateway cannot call functions here.');
    const { request, identityToken } = call;
    const headers = this.upstreamHeaders(api, call, identityToken?.(request.path || '/'));
    const event = functionEvent(api.definition.name, request, headers, this.clock());
    const started = performance.now();
    const result = await invoke({
      functionName: target.functionName,
      ...(target.qualifier ? { qualifier: target.qualifier } : {}),
      payload: JSON.stringify(event),
      timeoutMs: api.definition.timeoutMs,
    });
    const upstreamLatencyMs = performance.now() - started;
    if (result.functionError) throw new UpstreamFailure('broken', 'The upstream function failed.');
    return { ...functionAnswer(result.payload), upstreamLatencyMs };
  }

  /** The request as a message to a queue or bus; the caller's answer is the 202 that follows. */
  private async handOff(api: CompiledApi, target: AsyncTarget, call: UpstreamCall): Promise<UpstreamAnswer> {
    const send = this.deps.asyncSender;
    if (!send) throw new UpstreamFailure('unavailable', 'The gateway cannot hand requests over here.');
    const { request, caller, identityToken } = call;
    const headers = this.upstreamHeaders(api, call, identityToken?.(request.path || '/'));
    const name = api.definition.name;
    const message = JSON.stringify(asyncRequestMessage(name, request, caller, headers, this.clock()));
    if (Buffer.byteLength(message) > MAX_ASYNC_MESSAGE_BYTES)
      throw new DomainError('payload-too-large', 'The request is too large to be queued.');
    const started = performance.now();
    await send({
      target,
      message,
      trackingId: request.requestId,
      api: name,
      timeoutMs: api.definition.timeoutMs,
    });
    return { ...acceptedAnswer(request.requestId), upstreamLatencyMs: performance.now() - started };
  }

  private upstreamHeaders(api: CompiledApi, call: UpstreamCall, token: string | undefined) {
    return headersForUpstream(
      call.request,
      call.caller,
      call.trace,
      (h) => api.requestHeaders.apply(h),
      token,
    );
  }

  private async callThroughBreakers(
    api: CompiledApi,
    call: UpstreamCall,
    state: CallState,
  ): Promise<UpstreamAnswer | GatewayAnswer> {
    const pool = this.deps.pools.get(api.definition.name, api.servers, api.poolOptions);
    const refused = new Set<string>();
    for (;;) {
      const chosen = this.choose(api, pool, refused);
      if ('refusal' in chosen) return this.refuse(api, chosen.refusal, state);
      const { pick, permit } = chosen;
      const target = api.targets.get(pick.url);
      state.record.upstream = target?.kind === 'http' ? new URL(pick.url).origin : pick.url;
      const startedAt = this.clock();
      try {
        const answer = await this.callOnce(api, pick.url, call);
        const finishedAt = this.clock();
        const failure = failureKindForStatus(answer.status);
        if (failure) pick.failure(failure, finishedAt);
        else pick.success(answer.upstreamLatencyMs, finishedAt);
        if (answer.status >= 500) permit.failure(finishedAt);
        else permit.success(finishedAt - startedAt, finishedAt);
        this.countPartnerCall(api, answer.status < 500, answer.upstreamLatencyMs);
        return answer;
      } catch (error) {
        const finishedAt = this.clock();
        if (error instanceof DomainError && !(error instanceof UpstreamFailure)) {
          // The request was refused before it left (too large to queue): nothing against the upstream.
          pick.release();
          permit.cancel(finishedAt);
          throw error;
        }
        this.countPartnerCall(api, false, finishedAt - startedAt);
        const kind = error instanceof UpstreamFailure ? error.kind : 'broken';
        pick.failure(kind === 'timeout' ? 'timeout' : kind === 'unavailable' ? '5xx' : 'connect', finishedAt);
        permit.failure(finishedAt);
        // A refused connection never ran the request: one more server may take it, whatever the method.
        if (kind !== 'refused' || refused.size > 0 || api.servers.length < 2) throw error;
        refused.add(pick.url);
      }
    }
  }

  /**
   * A server and a permit from both its breaker and the API's. A server whose own breaker is open is
   * skipped for the next one; the API's breaker refusing ends the search.
   */
  private choose(
    api: CompiledApi,
    pool: UpstreamPool,
    skip: ReadonlySet<string>,
  ): { pick: UpstreamPick; permit: Permit } | { refusal: Refusal | undefined } {
    const name = api.definition.name;
    const now = this.clock();
    let refusal: Refusal | undefined;
    for (let attempt = 0; attempt < api.servers.length + skip.size; attempt++) {
      const pick = pool.pick(now);
      if (!pick) break;
      if (skip.has(pick.url)) {
        pick.release();
        continue;
      }
      const acquisition = this.deps.breakers.acquire(name, pick.url, now, api.breakerSettings);
      if (acquisition.permitted) return { pick, permit: acquisition.permit };
      pick.release();
      refusal = acquisition;
      if (acquisition.key === name) break;
    }
    return { refusal };
  }

  private countPartnerCall(api: CompiledApi, ok: boolean, latencyMs: number): void {
    const { partnerId } = api.definition;
    if (partnerId) this.deps.partners?.record(partnerId, { ok, latencyMs });
  }

  /** The API's degrade answer when it has one, else the partner's refusal. */
  private refuseForPartner(api: CompiledApi, refusal: DomainError, state: CallState): GatewayAnswer {
    const retryAfterMs = (refusal.hints.retryAfterSeconds ?? 30) * 1000;
    const degraded = degradedAnswer(api.breakerSettings.degrade, { state: 'open', retryAfterMs });
    if (!degraded) throw refusal;
    state.record.errorType = 'partner-unavailable';
    return { status: degraded.statusCode, headers: degraded.headers, body: degraded.body };
  }

  private refuse(api: CompiledApi, refusal: Refusal | undefined, state: CallState): GatewayAnswer {
    if (!refusal)
      throw new DomainError('service-unavailable', 'No upstream server of this API is available.');
    const degraded = degradedAnswer(api.breakerSettings.degrade, refusal);
    if (!degraded) throw breakerOpenProblem(refusal);
    state.record.errorType = 'circuit-open';
    return { status: degraded.statusCode, headers: degraded.headers, body: degraded.body };
  }
}

type Refusal = Extract<RegistryAcquisition, { permitted: false }>;

/** What every attempt of one call sends. */
interface UpstreamCall {
  request: ProxiedRequest;
  caller: CallerIdentity;
  trace: TraceContext;
  /** The identity token for the path a server receives (absent: calls carry none). */
  identityToken: ((path: string) => string) | undefined;
}

const isUpstreamAnswer = (answer: UpstreamAnswer | GatewayAnswer): answer is UpstreamAnswer =>
  'upstreamLatencyMs' in answer;

function checkScopes(
  api: ApiDefinition,
  route: ApiRoute | undefined,
  caller: CallerIdentity & { via: string },
) {
  const required = route?.requiredScopes
    ? [...api.requiredScopes, ...route.requiredScopes]
    : api.requiredScopes;
  const missing = required.filter((s) => !caller.scopes.includes(s));
  if (missing.length === 0) return;
  throw new DomainError(
    'forbidden',
    `The ${caller.via === 'token' ? 'token' : 'app'} lacks scope ${missing.join(' ')}.`,
    { missingScopes: missing },
    caller.via === 'token'
      ? { challenge: `Bearer realm="portico", error="insufficient_scope", scope="${missing.join(' ')}"` }
      : {},
  );
}

function newRecord(call: GatewayCall, trace: TraceContext): CallRecord {
  return {
    v: 1,
    kind: 'call',
    requestId: call.requestId,
    traceId: trace.traceId,
    timestamp: new Date().toISOString(),
    api: call.apiName.slice(0, 64),
    method: call.method.slice(0, 16),
    path: call.rawPath.slice(0, 512),
    status: 0,
    latencyMs: 0,
    bytesIn: 0,
    bytesOut: 0,
    sourceIp: call.sourceIp,
  };
}

const lowerCased = (headers: Record<string, string>) =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));

/** The call's own headers win, except `Vary`, whose values add up (an upstream may vary on encoding). */
function withCallHeaders(
  answer: Record<string, string>,
  call: Record<string, string>,
): Record<string, string> {
  const merged = { ...answer, ...call };
  if (answer.vary && call.vary) merged.vary = `${answer.vary}, ${call.vary}`;
  if (answer.link && call.link) merged.link = `${answer.link}, ${call.link}`;
  return merged;
}
