import { describe, expect, it, vi } from 'vitest';
import { ApiError, type ApiRequest } from '../../api/client.ts';
import { appFetcher } from './app-fetch.ts';

const refused = () =>
  new ApiError({ type: 'about:blank', title: 'The access token is not valid', status: 401 });

describe('appFetcher', () => {
  it('calls with the app’s token, never the person’s', async () => {
    const fetchJson = vi.fn(async (_path: string, _request?: ApiRequest) => ({ items: [] }) as never);
    const appFetch = appFetcher({ tokenFor: async () => 'app-token', forget: vi.fn() }, fetchJson);
    expect(await appFetch('app1', '/v1/topics', { method: 'GET' })).toEqual({ items: [] });
    const [path, request] = fetchJson.mock.calls[0]!;
    expect(path).toBe('/v1/topics');
    expect(request?.anonymous).toBe(true);
    expect(new Headers(request?.headers).get('authorization')).toBe('Bearer app-token');
  });

  it('replaces a refused token once', async () => {
    let issued = 0;
    const tokens = { tokenFor: vi.fn(async () => `t${++issued}`), forget: vi.fn() };
    const fetchJson = vi.fn().mockRejectedValueOnce(refused()).mockResolvedValueOnce('ok');
    expect(await appFetcher(tokens, fetchJson)('app1', '/v1/subscriptions')).toBe('ok');
    expect(tokens.forget).toHaveBeenCalledWith('app1');
    expect(new Headers(fetchJson.mock.calls[1]![1].headers).get('authorization')).toBe('Bearer t2');
  });

  it('passes other failures on without a second try', async () => {
    const forbidden = new ApiError({ type: 'about:blank', title: 'Access denied', status: 403 });
    const fetchJson = vi.fn().mockRejectedValue(forbidden);
    const tokens = { tokenFor: async () => 't', forget: vi.fn() };
    await expect(appFetcher(tokens, fetchJson)('app1', '/v1/subscriptions')).rejects.toBe(forbidden);
    expect(fetchJson).toHaveBeenCalledTimes(1);
    expect(tokens.forget).not.toHaveBeenCalled();
  });
});
