import { describe, expect, it, vi } from 'vitest';
import { formatBody, sendCall } from './send-call.ts';

const call = { method: 'GET', url: 'http://127.0.0.1:3000/apis/echo/hello', headers: [], body: undefined };

describe('sending a try-it call', () => {
  it('sends the sandbox token and reports status, time, chosen headers and body', async () => {
    const fetchImpl = vi.fn(
      async () =>
        new Response('{"ok":true}', {
          status: 200,
          headers: { 'content-type': 'application/json', 'x-request-id': 'r1', 'x-internal': 'no' },
        }),
    );
    const times = [100, 142.4];
    const result = await sendCall(call, 'sbx', fetchImpl as typeof fetch, () => times.shift()!);
    const init = (fetchImpl.mock.calls[0] as unknown as [string, RequestInit])[1];
    expect(new Headers(init.headers).get('authorization')).toBe('Bearer sbx');
    expect(result).toEqual({
      status: 200,
      statusText: '',
      durationMs: 42,
      headers: [
        ['content-type', 'application/json'],
        ['x-request-id', 'r1'],
      ],
      body: { ok: true },
      problem: undefined,
    });
  });

  it('reads problem details', async () => {
    const fetchImpl = async () =>
      new Response('{"type":"urn:portico:problem:forbidden","title":"Access denied","status":403}', {
        status: 403,
        headers: { 'content-type': 'application/problem+json' },
      });
    const result = await sendCall(call, 'sbx', fetchImpl as typeof fetch);
    expect(result.problem).toMatchObject({ status: 403, title: 'Access denied' });
  });

  it('rejects when no answer comes', async () => {
    const fetchImpl = async () => {
      throw new TypeError('Failed to fetch');
    };
    await expect(sendCall(call, 'sbx', fetchImpl as typeof fetch)).rejects.toThrow(/No answer/);
  });

  it('pretty-prints JSON bodies', () => {
    expect(formatBody({ a: 1 })).toBe('{\n  "a": 1\n}');
    expect(formatBody('plain')).toBe('plain');
    expect(formatBody(undefined)).toBe('');
  });
});
