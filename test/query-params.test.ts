import { beforeAll, describe, expect, it } from 'vitest';
import { adminToken, call, portico } from './support/client.ts';

/** Every console route reads its query the same way: unknown, repeated or malformed parameters are a 400. */
describe('console query parameters', () => {
  let admin: string;
  const get = (path: string) => call(path, { headers: { authorization: `Bearer ${admin}` } });
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
});
