import { ScanCommand } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_ROUTES } from '../functions/console/routes.ts';
import { MESSAGES_API_ROUTES, PUBLISH_ROUTE } from '../functions/messages/routes.ts';
import { createApp } from './support/console.ts';
import { as } from './support/http.ts';
import { adminToken, tokenFor } from './support/oauth.ts';
import { aws } from './support/platform.ts';

/** Every item of the messages table but the message records (other tests publish meanwhile). */
async function writableItems(): Promise<string[]> {
  const { Items = [] } = await aws().dynamo.send(
    new ScanCommand({ TableName: 'portico-MessagesTable', ProjectionExpression: 'pk, sk' }),
  );
  return Items.map((i) => `${i.pk?.S} ${i.sk?.S}`)
    .filter((k) => k.startsWith('SUB#') || k.startsWith('TOPICS'))
    .sort();
}

// Dot segments are left out: the client resolves them before sending, so they name another route.
const segment = fc
  .oneof(
    fc.string({ minLength: 1, maxLength: 40 }),
    fc.string({ minLength: 1025, maxLength: 3000 }),
    fc.constantFrom(
      '%2e%2e',
      '%00',
      'sub_',
      'msg_x',
      'orders.created%2F..',
      'a'.repeat(2048),
      '__proto__',
      'ü.ß',
    ),
  )
  .filter((s) => s !== '.' && s !== '..');

const routesWithParameters = [
  ...MESSAGES_API_ROUTES,
  PUBLISH_ROUTE,
  ...Object.keys(CONSOLE_ROUTES).filter((k) => k.includes('/topics')),
].filter((key) => key.includes('{'));

let token: string;
let admin: string;
beforeAll(async () => {
  admin = await adminToken();
  const app = await createApp(admin, { name: 'hostile', scopes: ['orders:read', 'publish:orders.created'] });
  token = await tokenFor(app.clientId, app.clientSecret);
});

describe('the messages routes under hostile path parameters', () => {
  it('answer every one with a 4xx problem and write nothing', async () => {
    const before = await writableItems();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routesWithParameters), segment, async (key, value) => {
        const [method, template] = key.split(' ') as [string, string];
        const path = template.replace(/\{[^}]+\}/g, encodeURIComponent(value));
        const caller = as(template.startsWith('/console/') ? admin : token);
        const body =
          method === 'GET' || method === 'DELETE' ? undefined : { state: 'paused', deliveryIds: ['msg_x'] };
        const answer = await caller.send(method, path, body, { 'idempotency-key': 'k-1' });
        expect(answer.status, `${method} ${path.slice(0, 120)}`).toBeGreaterThanOrEqual(400);
        expect(answer.status, `${method} ${path.slice(0, 120)}`).toBeLessThan(500);
        expect(answer.headers.get('content-type')).toContain('application/problem+json');
      }),
      { numRuns: 150 },
    );
    expect(await writableItems()).toEqual(before);
  });
});
