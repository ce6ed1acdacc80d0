import { beforeAll, describe, expect, it } from 'vitest';
import { getApi, putApi } from './support/apis.ts';
import { consoleToken } from './support/console.ts';
import { adminToken } from './support/oauth.ts';
import { portico } from './support/platform.ts';

/**
 * The egress policy on the console's write path: an operator cannot point an API at the platform's
 * own network, the cloud metadata service or a URL with credentials; nothing is stored. (The local
 * runtime allows loopback so the demo works, so loopback itself is covered by unit tests.)
 */
describe('egress policy on API registration', () => {
  let operator: string;
  const put = (name: string, body: unknown) => putApi(operator, name, body);
  const get = (name: string) => getApi(operator, name);

  beforeAll(async () => {
    operator = await consoleToken(await adminToken(), 'operator', 'egress operator');
  });

  const refused = [
    'http://169.254.169.254/',
    'http://[::ffff:169.254.169.254]/',
    'http://2852039166/',
    'http://user:pw@127.0.0.1:22/',
    'http://10.0.0.1/',
    'http://[fd00:ec2::254]/',
  ];

  it.each(refused.map((url, i) => [url, i]))('refuses the upstream %s and stores nothing', async (url, i) => {
    const name = `egress-up-${i}`;
    const response = await put(name, {
      upstreams: [{ url: portico().upstreamUrl }, { url }],
      timeoutMs: 1000,
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body.type).toBe('urn:portico:problem:validation-failed');
    expect(response.body.errors).toEqual([{ pointer: '/upstreams/1/url', message: expect.any(String) }]);
    expect((await get(name)).status).toBe(404);
  });

  it.each(refused.map((url, i) => [url, i]))(
    'refuses the sandbox upstream %s and stores nothing',
    async (url, i) => {
      const name = `egress-sb-${i}`;
      const response = await put(name, {
        upstreams: [{ url: portico().upstreamUrl }],
        sandboxUpstream: { url },
        timeoutMs: 1000,
      });
      expect(response.status).toBe(400);
      expect(response.body.type).toBe('urn:portico:problem:validation-failed');
      expect(response.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual([
        '/sandboxUpstream/url',
      ]);
      expect((await get(name)).status).toBe(404);
    },
  );

  it('names the reason', async () => {
    const response = await put('egress-reason', {
      upstreams: [
        { url: 'http://169.254.169.254/latest/meta-data/' },
        { url: 'http://user:pw@example.com/' },
      ],
      timeoutMs: 1000,
    });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      { pointer: '/upstreams/0/url', message: expect.stringMatching(/metadata/) },
      { pointer: '/upstreams/1/url', message: expect.stringMatching(/credentials/) },
    ]);
  });

  it('still accepts the local upstream on loopback', async () => {
    const response = await put('egress-ok', { upstreams: [{ url: portico().upstreamUrl }], timeoutMs: 1000 });
    expect([200, 201]).toContain(response.status);
  });
});
