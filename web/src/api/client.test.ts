import { afterEach, describe, expect, it, vi } from 'vitest';
import { storeTokens } from '../auth/token-store.ts';
import { ApiError, apiFetch, problemOf } from './client.ts';

const answer = (status: number, body: unknown, type = 'application/json') =>
  new Response(typeof body === 'string' ? body : JSON.stringify(body), {
    status,
    headers: { 'content-type': type },
  });

describe('problemOf', () => {
  it('reads RFC 9457 members and field errors', () => {
    expect(
      problemOf(400, {
        type: 'urn:portico:problem:validation-failed',
        title: 'The request is not valid',
        status: 400,
        detail: 'name is required',
        instance: 'req-1',
        errors: [{ pointer: '/name', message: 'is required' }, { path: 'limit' }],
      }),
    ).toEqual({
      type: 'urn:portico:problem:validation-failed',
      title: 'The request is not valid',
      status: 400,
      detail: 'name is required',
      instance: 'req-1',
      errors: [
        { pointer: '/name', message: 'is required' },
        { path: 'limit', message: 'Not valid.' },
      ],
    });
  });

  it('reads an OAuth error and makes do with no body at all', () => {
    expect(problemOf(400, { error: 'invalid_grant', error_description: 'The code has expired.' })).toEqual({
      type: 'about:blank',
      title: 'invalid_grant',
      status: 400,
      detail: 'The code has expired.',
    });
    expect(problemOf(502, '<html>')).toEqual({
      type: 'about:blank',
      title: 'Request failed with status 502',
      status: 502,
    });
  });
});

describe('apiFetch', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    storeTokens(undefined);
  });

  it('sends the signed-in user’s token and JSON, and returns the JSON answer', async () => {
    const fetch = vi.fn(async () => answer(200, { ok: true }));
    vi.stubGlobal('fetch', fetch);
    storeTokens({ accessToken: 'tok', refreshToken: undefined, expiresAt: Date.now() + 60_000, scope: '' });
    expect(await apiFetch('/v1/things', { method: 'POST', json: { a: 1 } })).toEqual({ ok: true });
    const [path, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    const headers = new Headers(init.headers);
    expect(path).toBe('/v1/things');
    expect(headers.get('authorization')).toBe('Bearer tok');
    expect(headers.get('content-type')).toBe('application/json');
    expect(init.body).toBe('{"a":1}');
  });

  it('sends forms without the user’s token when anonymous', async () => {
    const fetch = vi.fn(async () => answer(200, {}));
    vi.stubGlobal('fetch', fetch);
    storeTokens({ accessToken: 'tok', refreshToken: undefined, expiresAt: Date.now() + 60_000, scope: '' });
    await apiFetch('/oauth2/token', {
      method: 'POST',
      form: { grant_type: 'refresh_token' },
      anonymous: true,
    });
    const init = (fetch.mock.calls[0] as unknown as [string, RequestInit])[1];
    const headers = new Headers(init.headers);
    expect(headers.get('authorization')).toBeNull();
    expect(headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(String(init.body)).toBe('grant_type=refresh_token');
  });

  it('throws the problem of an error answer', async () => {
    vi.stubGlobal('fetch', async () =>
      answer(
        404,
        { type: 'urn:portico:problem:unknown-api', title: 'No API', status: 404 },
        'application/problem+json',
      ),
    );
    const error = await apiFetch('/v1/apis/nope/openapi.json').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 404, type: 'urn:portico:problem:unknown-api', title: 'No API' });
  });

  it('turns a network failure into an ApiError of status 0', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(apiFetch('/v1/apis')).rejects.toMatchObject({ status: 0 });
  });
});
