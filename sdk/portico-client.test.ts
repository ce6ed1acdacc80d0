import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toProblem } from '../shared/http/problem.ts';
import { OAuthError, readClientAuthentication } from '../shared/identity/oauth.ts';
import { verifySignedRequest } from '../shared/identity/request-signing.ts';
import { MemoryNonceStore } from '../shared/identity/testing/memory-nonce-store.ts';
import { isDomainError } from '../shared/kernel/errors.ts';
import { PorticoClient, PorticoError } from './portico-client.ts';

const CLIENT_ID = 'ak_sdk-test';
// Characters that RFC 6749 2.3.1 form-encoding must carry through the Basic header intact.
const SECRET = 'sk_s3cr3t:with spaces&+%/é';

interface SeenRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Plays the token endpoint and a gateway in front of an "echo" API. */
class FakePlatform {
  server: Server = createServer((req, res) => void this.handle(req, res));
  baseUrl = '';
  seen: SeenRequest[] = [];
  tokenRequests = 0;
  apiRequests = 0;
  expiresIn = 3600;
  tokenDelayMs = 20;
  rejectAllTokens = false;
  readonly valid = new Set<string>();
  readonly nonces = new MemoryNonceStore();

  reset() {
    Object.assign(this, {
      seen: [],
      tokenRequests: 0,
      apiRequests: 0,
      expiresIn: 3600,
      rejectAllTokens: false,
    });
    this.valid.clear();
  }

  revokeAll() {
    this.valid.clear();
  }

  async start() {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop() {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = req.url ?? '/';
    this.seen.push({ method: req.method ?? '', url, headers: req.headers, body: body.toString('latin1') });
    const [rawPath = '/', rawQueryString = ''] = url.split(/\?(.*)/s);
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(payload));
    };

    if (rawPath === '/oauth2/token' && req.method === 'POST') {
      this.tokenRequests++;
      await new Promise((resolve) => setTimeout(resolve, this.tokenDelayMs));
      const params = new Map(new URLSearchParams(body.toString('utf8')));
      try {
        const client = readClientAuthentication(req.headers.authorization, params);
        if (client.clientId !== CLIENT_ID || client.clientSecret !== SECRET)
          throw new OAuthError('invalid_client', 'Client authentication failed.');
        if (params.get('grant_type') !== 'client_credentials')
          throw new OAuthError('unsupported_grant_type', 'Only client_credentials.');
        const token = `tok_${this.tokenRequests}`;
        this.valid.add(token);
        return send(200, {
          access_token: token,
          token_type: 'Bearer',
          expires_in: this.expiresIn,
          scope: params.get('scope') ?? 'echo:read',
        });
      } catch (error) {
        if (!(error instanceof OAuthError)) throw error;
        return send(error.status, {
          error: error.error,
          error_description: error.description,
          type: `urn:portico:problem:oauth:${error.error}`,
          title: error.error,
          status: error.status,
        });
      }
    }

    if (rawPath.startsWith('/apis/echo')) {
      this.apiRequests++;
      const echo = { method: req.method, path: rawPath, query: rawQueryString, body: body.toString('utf8') };
      if (rawPath === '/apis/echo/upstream-401') return send(401, { from: 'upstream' });
      const authorization = req.headers.authorization ?? '';
      if (authorization.startsWith('Portico-HMAC-SHA256 ')) {
        try {
          const contentType = req.headers['content-type'];
          const { clientId } = await verifySignedRequest(
            {
              method: req.method ?? '',
              path: rawPath,
              rawQueryString,
              body,
              ...(contentType ? { contentType } : {}),
            },
            authorization,
            { secretsFor: async (id) => (id === CLIENT_ID ? [SECRET] : []), nonces: this.nonces },
            new Date(),
          );
          return send(200, { auth: 'signature', clientId, ...echo });
        } catch (error) {
          if (!isDomainError(error)) throw error;
          const problem = toProblem(error);
          return send(problem.status, problem.toBody(), problem.headers);
        }
      }
      const token = /^Bearer (.+)$/.exec(authorization)?.[1];
      if (!token || this.rejectAllTokens || !this.valid.has(token))
        return send(
          401,
          { type: 'urn:portico:problem:invalid-token', status: 401 },
          { 'www-authenticate': 'Bearer realm="portico", error="invalid_token"' },
        );
      return send(200, { auth: 'token', token, ...echo });
    }
    send(404, { type: 'urn:portico:problem:not-found' });
  }
}

const platform = new FakePlatform();
beforeAll(() => platform.start());
afterAll(() => platform.stop());
beforeEach(() => platform.reset());

const client = (options: Partial<ConstructorParameters<typeof PorticoClient>[0]> = {}) =>
  new PorticoClient({ baseUrl: platform.baseUrl, clientId: CLIENT_ID, clientSecret: SECRET, ...options });

const json = async (response: Response) => ({
  status: response.status,
  body: (await response.json()) as Record<string, any>,
});

describe('accessToken', () => {
  it('authenticates with form-encoded HTTP Basic and caches the token for many calls', async () => {
    const portico = client();
    for (let i = 0; i < 5; i++) {
      const { status, body } = await json(await portico.call('echo', `/items/${i}?n=${i}`));
      expect(status).toBe(200);
      expect(body).toMatchObject({
        auth: 'token',
        token: 'tok_1',
        path: `/apis/echo/items/${i}`,
        query: `n=${i}`,
      });
    }
    expect(platform.tokenRequests).toBe(1);
    expect(platform.apiRequests).toBe(5);
    const tokenRequest = platform.seen.find((r) => r.url === '/oauth2/token')!;
    expect(tokenRequest.body).toBe('grant_type=client_credentials');
    expect(tokenRequest.headers.authorization).toBe(
      `Basic ${Buffer.from('ak_sdk-test:sk_s3cr3t%3Awith+spaces%26%2B%25%2F%C3%A9').toString('base64')}`,
    );
  });

  it('sends the scope when one is configured', async () => {
    await client({ scope: 'echo:read' }).accessToken();
    expect(platform.seen[0]!.body).toBe('grant_type=client_credentials&scope=echo%3Aread');
  });

  it('shares one token request between concurrent callers', async () => {
    const portico = client();
    const tokens = await Promise.all(Array.from({ length: 10 }, () => portico.accessToken()));
    expect(new Set(tokens)).toEqual(new Set(['tok_1']));
    const responses = await Promise.all(Array.from({ length: 10 }, () => portico.call('echo', '/x')));
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(platform.tokenRequests).toBe(1);

    const fresh = client();
    const calls = await Promise.all(Array.from({ length: 10 }, (_, i) => fresh.call('echo', `/c/${i}`)));
    expect(calls.every((r) => r.status === 200)).toBe(true);
    expect(platform.tokenRequests).toBe(2);
  });

  it('gets a new token 60 s before the old one expires', async () => {
    let now = 1_000_000;
    const portico = client({ now: () => now });
    expect(await portico.accessToken()).toBe('tok_1');
    now += (3600 - 60) * 1000 - 1;
    expect(await portico.accessToken()).toBe('tok_1');
    now += 1;
    expect(await portico.accessToken()).toBe('tok_2');
    expect(platform.tokenRequests).toBe(2);
  });

  it('keeps short-lived tokens for half their lifetime', async () => {
    platform.expiresIn = 60;
    let now = 0;
    const portico = client({ now: () => now });
    await portico.accessToken();
    now += 29_999;
    await portico.accessToken();
    expect(platform.tokenRequests).toBe(1);
    now += 1;
    await portico.accessToken();
    expect(platform.tokenRequests).toBe(2);
  });

  it('throws a PorticoError carrying the OAuth error, and tries again on the next call', async () => {
    const wrong = client({ clientSecret: 'sk_wrong' });
    const failures = await Promise.allSettled([wrong.accessToken(), wrong.accessToken()]);
    expect(platform.tokenRequests).toBe(1);
    for (const failure of failures) {
      expect(failure.status).toBe('rejected');
      const error = (failure as PromiseRejectedResult).reason as PorticoError;
      expect(error).toBeInstanceOf(PorticoError);
      expect(error).toMatchObject({
        status: 401,
        error: 'invalid_client',
        type: 'urn:portico:problem:oauth:invalid_client',
        description: 'Client authentication failed.',
      });
      expect(error.message).not.toContain('sk_wrong');
    }
    await expect(wrong.call('echo', '/x')).rejects.toBeInstanceOf(PorticoError);
    expect(platform.tokenRequests).toBe(2);
    expect(platform.apiRequests).toBe(0);
  });

  it('reports a non-JSON failure with its status', async () => {
    const portico = client({
      fetch: async () => new Response('upstream exploded', { status: 502 }),
    });
    await expect(portico.accessToken()).rejects.toMatchObject({
      name: 'PorticoError',
      status: 502,
      error: undefined,
      description: 'upstream exploded',
    });
  });
});

describe('call with a token', () => {
  it('refreshes the token once and retries once on a 401 from the gateway', async () => {
    const portico = client();
    expect((await portico.call('echo', '/a')).status).toBe(200);
    platform.revokeAll();
    const { status, body } = await json(
      await portico.call('echo', '/b', {
        method: 'POST',
        body: '{"n":1}',
        headers: { 'content-type': 'application/json' },
      }),
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({ token: 'tok_2', method: 'POST', body: '{"n":1}' });
    expect(platform.tokenRequests).toBe(2);
    expect(platform.apiRequests).toBe(3);
  });

  it('gives up after one retry', async () => {
    const portico = client();
    platform.rejectAllTokens = true;
    const response = await portico.call('echo', '/a');
    expect(response.status).toBe(401);
    expect(platform.tokenRequests).toBe(2);
    expect(platform.apiRequests).toBe(2);
  });

  it('concurrent 401s share one refresh', async () => {
    const portico = client();
    await portico.accessToken();
    platform.revokeAll();
    const responses = await Promise.all(Array.from({ length: 8 }, () => portico.call('echo', '/a')));
    expect(responses.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(platform.tokenRequests).toBe(2);
  });

  it('does not retry a 401 the upstream API answered', async () => {
    const response = await client().call('echo', '/upstream-401');
    expect(response.status).toBe(401);
    expect(platform.apiRequests).toBe(1);
    expect(platform.tokenRequests).toBe(1);
  });

  it('overrides any Authorization header the caller set', async () => {
    const { body } = await json(
      await client().call('echo', '/a', { headers: { authorization: 'Bearer mine' } }),
    );
    expect(body.token).toBe('tok_1');
  });
});

describe('call with a signature', () => {
  it('is accepted for a JSON body, without any token request', async () => {
    const portico = client();
    const { status, body } = await json(
      await portico.call('echo', '/orders/42?expand=items&limit=10', {
        auth: 'signature',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"quantity":3}',
      }),
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({ auth: 'signature', clientId: CLIENT_ID, body: '{"quantity":3}' });
    expect(platform.tokenRequests).toBe(0);
  });

  it('is accepted for a form body merged with the query, and for binary and empty bodies', async () => {
    const portico = client();
    const form = await portico.call('echo', '/submit?b=2&a=1', {
      auth: 'signature',
      method: 'PUT',
      body: new URLSearchParams([
        ['note', 'déjà vu & more'],
        ['a', '0'],
      ]),
    });
    expect(await json(form)).toMatchObject({
      status: 200,
      body: { body: 'note=d%C3%A9j%C3%A0+vu+%26+more&a=0' },
    });
    const binary = await portico.call('echo', '/blob', {
      auth: 'signature',
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: new Uint8Array([0, 255, 37, 10, 13]),
    });
    expect(binary.status).toBe(200);
    const get = await portico.call('echo', '/items', { auth: 'signature' });
    expect(get.status).toBe(200);
    const deleted = await portico.call('echo', '/items/1', { auth: 'signature', method: 'delete' });
    expect(deleted.status).toBe(200);
  });

  it('signs the path and query exactly as the URL sends them', async () => {
    const portico = client();
    const odd = "/caf\u00e9/a b/it's/%41/~x*?q=a b&x=caf\u00e9&y=%2B+&empty&=v";
    const { status, body } = await json(await portico.call('echo', odd, { auth: 'signature' }));
    expect(status).toBe(200);
    expect(body.path).toBe("/apis/echo/caf%C3%A9/a%20b/it's/%41/~x*");
  });

  it('is rejected when a signed request is replayed', async () => {
    const requests: Array<[string, RequestInit]> = [];
    const recording = client({
      fetch: async (input, init) => {
        requests.push([String(input), init ?? {}]);
        return fetch(input, init);
      },
    });
    expect((await recording.call('echo', '/once', { auth: 'signature' })).status).toBe(200);
    const [url, init] = requests[0]!;
    const replay = await json(await fetch(url, init));
    expect(replay).toMatchObject({ status: 401, body: { reason: 'replayed-nonce' } });
  });

  it('refuses a body it cannot hash', async () => {
    const stream = new ReadableStream({ start: (c) => c.close() });
    await expect(
      client().call('echo', '/x', {
        auth: 'signature',
        method: 'POST',
        body: stream,
        duplex: 'half',
      } as RequestInit),
    ).rejects.toThrow(TypeError);
    expect(platform.apiRequests).toBe(0);
  });
});

describe('the secret', () => {
  it('never appears in a request except inside the Basic header of token requests', async () => {
    const portico = client({ scope: 'echo:read' });
    await portico.call('echo', '/a?x=1', { method: 'POST', body: 'hello' });
    await portico.call('echo', '/b?x=2', { auth: 'signature', method: 'POST', body: 'hello' });
    await portico.call('echo', '/c', {
      auth: 'signature',
      body: new URLSearchParams({ k: 'v' }),
      method: 'POST',
    });
    platform.revokeAll();
    await portico.call('echo', '/d');
    expect(platform.seen.length).toBeGreaterThanOrEqual(6);

    const encodings = [
      SECRET,
      encodeURIComponent(SECRET),
      'sk_s3cr3t',
      Buffer.from(SECRET).toString('base64'),
    ];
    for (const request of platform.seen) {
      const isToken = request.url === '/oauth2/token';
      const { authorization, ...otherHeaders } = request.headers;
      if (isToken) expect(String(authorization)).toMatch(/^Basic /);
      else expect(String(authorization)).not.toMatch(/^Basic /);
      const visible = JSON.stringify({
        method: request.method,
        url: request.url,
        headers: isToken ? otherHeaders : request.headers,
        body: request.body,
      });
      for (const form of encodings) expect(visible, request.url).not.toContain(form);
    }
  });
});

describe('construction', () => {
  it('validates its options and keeps the secret out of sight', () => {
    expect(() => new PorticoClient({ baseUrl: 'not a url', clientId: 'a', clientSecret: 'b' })).toThrow();
    expect(() => new PorticoClient({ baseUrl: 'http://x', clientId: '', clientSecret: 'b' })).toThrow(
      TypeError,
    );
    expect(() => new PorticoClient({ baseUrl: 'http://x/?a=1', clientId: 'a', clientSecret: 'b' })).toThrow(
      TypeError,
    );
    const portico = new PorticoClient({
      baseUrl: 'http://x/base/',
      clientId: 'a',
      clientSecret: 'sk_hidden',
    });
    expect(portico.baseUrl).toBe('http://x/base');
    expect(JSON.stringify(portico)).not.toContain('sk_hidden');
  });

  it('builds the URL under /apis/<name>', async () => {
    const urls: string[] = [];
    const portico = new PorticoClient({
      baseUrl: `${platform.baseUrl}/`,
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      fetch: async (input, init) => {
        urls.push(String(input));
        return fetch(input, init);
      },
    });
    await portico.call('echo', 'no-slash?q=1');
    await portico.call('echo', '/with-slash');
    expect(urls.slice(1)).toEqual([
      `${platform.baseUrl}/apis/echo/no-slash?q=1`,
      `${platform.baseUrl}/apis/echo/with-slash`,
    ]);
  });
});
