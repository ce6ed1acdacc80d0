/**
 * The platform's public API as a user drives it: client-credentials tokens, topics and apps through the
 * console (as the admin), webhook subscriptions through the developer API (as each app).
 */

export class ApiError extends Error {
  override name = 'ApiError';
}

async function call(
  baseUrl: string,
  method: string,
  path: string,
  init: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...init.headers,
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: response.status, body };
}

function expectStatus<T>(what: string, answer: { status: number; body: unknown }, ...ok: number[]): T {
  if (!ok.includes(answer.status)) {
    throw new ApiError(`${what}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 500)}`);
  }
  return answer.body as T;
}

/** `POST /oauth2/token` with HTTP Basic and `grant_type=client_credentials`. */
export async function clientToken(baseUrl: string, clientId: string, clientSecret: string): Promise<string> {
  const response = await fetch(`${baseUrl}/oauth2/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials' }),
    signal: AbortSignal.timeout(30_000),
  });
  const body = (await response.json()) as { access_token?: string };
  if (response.status !== 200 || !body.access_token) {
    throw new ApiError(`token for ${clientId}: ${response.status} ${JSON.stringify(body)}`);
  }
  return body.access_token;
}

export interface TopicInput {
  description: string;
  owner: string;
  scope: string;
  payloadSchema: Record<string, unknown>;
  example: unknown;
  retentionDays: number;
}

/** `PUT /console/v1/topics/{name}`: created (201) or replaced (200). */
export async function putTopic(baseUrl: string, adminToken: string, name: string, topic: TopicInput) {
  return expectStatus<unknown>(
    `topic ${name}`,
    await call(baseUrl, 'PUT', `/console/v1/topics/${encodeURIComponent(name)}`, {
      token: adminToken,
      body: topic,
    }),
    200,
    201,
  );
}

export interface CreatedApp {
  appId: string;
  clientId: string;
  clientSecret: string;
}

/** `POST /console/v1/apps`: the app and its first credential. */
export async function createApp(
  baseUrl: string,
  adminToken: string,
  app: { name: string; scopes: string[] },
): Promise<CreatedApp> {
  const body = expectStatus<CreatedApp & { credentials?: { clientId: string; clientSecret: string }[] }>(
    `app ${app.name}`,
    await call(baseUrl, 'POST', '/console/v1/apps', { token: adminToken, body: app }),
    201,
  );
  const credential = body.credentials?.[0] ?? body;
  return { appId: body.appId, clientId: credential.clientId, clientSecret: credential.clientSecret };
}

export interface CreatedSubscription {
  subscriptionId: string;
  /** `whsec_…`: returned once, at creation. */
  secret: string;
}

/** `POST /v1/subscriptions` with the app's own token. */
export async function createWebhookSubscription(
  baseUrl: string,
  appToken: string,
  input: { topic: string; url: string; retrySchedule?: readonly number[] },
): Promise<CreatedSubscription> {
  const body = expectStatus<CreatedSubscription>(
    `subscription to ${input.topic}`,
    await call(baseUrl, 'POST', '/v1/subscriptions', {
      token: appToken,
      body: { mode: 'webhook', ...input },
    }),
    201,
  );
  return { subscriptionId: body.subscriptionId, secret: body.secret };
}
