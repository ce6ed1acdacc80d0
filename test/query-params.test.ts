import { beforeAll, describe, expect, it } from 'vitest';
import { as } from './support/http.ts';
import { adminToken, tokenFor } from './support/oauth.ts';
import { portico } from './support/platform.ts';

/** Every console route reads its query the same way: unknown, repeated or malformed parameters are a 400. */
describe('console query parameters', () => {
  let admin: string;
  const get = (path: string) => as(admin).get(path);
  beforeAll(async () => {
    admin = await adminToken();
  });

  it('refuses bad, repeated and unknown parameters with a problem', async () => {
    const apps = await get('/console/v1/apps?limit=1');
    const appId = apps.body.items[0].appId as string;
    for (const path of [
      `/console/v1/apps/${appId}/tokens?limit=-1&cursor=garbage`,
      '/console/v1/apis?limit=0',
      '/console/v1/apis?cursor=x',
      '/console/v1/apps?limit=1&limit=2',
      '/console/v1/apps?limit=-1',
      '/console/v1/apps?cursor=garbage!',
      '/console/v1/apps?cursor=Z2FyYmFnZQ',
      '/console/v1/developers?limt=5',
      '/console/v1/audit?limit=1e2',
    ]) {
      const response = await get(path);
      expect(response.status, path).toBe(400);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(response.body.type).toBe('urn:portico:problem:bad-request');
    }
  });

  it('still pages with good parameters', async () => {
    const first = await get('/console/v1/apps?limit=1');
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(1);
    const next = await get(`/console/v1/apps?limit=1&cursor=${first.body.next}`);
    expect(next.status).toBe(200);
    expect(next.body.items[0].appId).not.toBe(first.body.items[0].appId);
    expect(portico().admin.clientId).toBeDefined();
  });

  it('pages an app’s tokens, and refuses a cursor of another app or another listing', async () => {
    const created = await Promise.all(
      ['paged tokens A', 'paged tokens B'].map((name) =>
        as(admin).send('POST', '/console/v1/apps', { name, scopes: [] }),
      ),
    );
    const [a, b] = created.map((r) => {
      expect(r.status).toBe(201);
      return r.body as { appId: string; credentials: { clientId: string; clientSecret: string }[] };
    });
    const { clientId, clientSecret } = a!.credentials[0]!;
    for (let i = 0; i < 3; i++) await tokenFor(clientId, clientSecret);
    await tokenFor(b!.credentials[0]!.clientId, b!.credentials[0]!.clientSecret);

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await get(
        `/console/v1/apps/${a!.appId}/tokens?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.body.items.map((t: { jti: string }) => t.jti));
      cursor = page.body.next;
      if (pages++ === 0) {
        expect(cursor).toBeTypeOf('string');
        const elsewhere = await get(`/console/v1/apps/${b!.appId}/tokens?cursor=${cursor}`);
        expect(elsewhere.status).toBe(400);
        expect(elsewhere.body.type).toBe('urn:portico:problem:bad-request');
        expect((await get(`/console/v1/apps?cursor=${cursor}`)).status).toBe(400);
      }
    } while (cursor && pages < 10);
    expect(new Set(seen).size).toBe(3);
    const apps = await get('/console/v1/apps?limit=1');
    expect((await get(`/console/v1/apps/${a!.appId}/tokens?cursor=${apps.body.next}`)).status).toBe(400);
    expect((await get(`/console/v1/audit?cursor=${apps.body.next}`)).status).toBe(400);
  });
});
