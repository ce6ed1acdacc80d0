import { describe, expect, it } from 'vitest';
import { callSpanOf, ProviderErrorReportError, ProviderErrorReporter } from './provider-error-reporter.ts';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

function recordingFetch(status = 201) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fake = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return Response.json({ reportId: 'r1' }, { status });
  }) as unknown as typeof fetch;
  return { calls, fake };
}

describe('ProviderErrorReporter', () => {
  it('reads the call span from traceparent, and nothing from a malformed one', () => {
    expect(callSpanOf(TRACEPARENT)).toEqual({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
    });
    expect(callSpanOf([TRACEPARENT])).toEqual(callSpanOf(TRACEPARENT));
    for (const bad of [
      undefined,
      '',
      '00-xyz-00f067aa0ba902b7-01',
      '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa-01',
    ])
      expect(callSpanOf(bad)).toBeUndefined();
  });

  it('posts the report against the trace with the provider key as HTTP Basic', async () => {
    const { calls, fake } = recordingFetch();
    const reporter = new ProviderErrorReporter({
      baseUrl: 'https://p.example/',
      keyId: 'pk_1',
      secret: 's:x',
      fetch: fake,
    });
    await expect(
      reporter.report(TRACEPARENT, {
        message: 'db down',
        code: 'DB',
        occurredAt: new Date('2030-01-01T00:00:00Z'),
      }),
    ).resolves.toEqual({ reportId: 'r1' });
    expect(calls[0]!.url).toBe('https://p.example/v1/traces/4bf92f3577b34da6a3ce929d0e0e4736/errors');
    expect((calls[0]!.init.headers as Record<string, string>).authorization).toBe(
      `Basic ${Buffer.from('pk_1:s:x').toString('base64')}`,
    );
    expect(JSON.parse(calls[0]!.init.body as string)).toEqual({
      spanId: '00f067aa0ba902b7',
      message: 'db down',
      code: 'DB',
      occurredAt: '2030-01-01T00:00:00.000Z',
    });
  });

  it('sends nothing for a call without a trace, and rejects what Portico refuses', async () => {
    const { calls, fake } = recordingFetch(401);
    const reporter = new ProviderErrorReporter({
      baseUrl: 'https://p.example',
      keyId: 'k',
      secret: 's',
      fetch: fake,
    });
    expect(await reporter.report(undefined, { message: 'x' })).toBeUndefined();
    expect(calls).toHaveLength(0);
    await expect(reporter.report(TRACEPARENT, { message: 'x' })).rejects.toBeInstanceOf(
      ProviderErrorReportError,
    );
  });
});
