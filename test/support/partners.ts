import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { HEALTH_READ_SCOPE } from '../../shared/kernel/scopes.ts';
import { verifySignedParams } from '../../shared/partners/partner-signature.ts';
import { consoleToken, createApp } from './console.ts';
import { as } from './http.ts';
import { adminToken, demoToken, tokenFor } from './oauth.ts';
import { uniqueName } from './platform.ts';

export const PARTNER_SECRET = 'partner-shared-secret-0123456789abcdef';

/**
 * A partner on loopback: its API (counting calls, failing with 500 while `failing`), a probe target at
 * `/probe` (503 while failing) and its notice endpoint at `/notices` (the seed protocol).
 */
export async function simulatedPartner() {
  let apiCalls = 0;
  let failing = false;
  const polls: Record<string, unknown>[] = [];
  let answer: unknown = { code: 0, msg: '同步成功', upgradeInfo: [] };
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    res.setHeader('content-type', 'application/json');
    if (req.url === '/notices') {
      const body = JSON.parse(Buffer.concat(chunks).toString() || '{}');
      polls.push(body);
      const verified = verifySignedParams(body, [PARTNER_SECRET], Date.now()).ok;
      res.end(JSON.stringify(verified ? answer : { code: 401, msg: 'bad sign' }));
      return;
    }
    if (req.url === '/probe') {
      res.statusCode = failing ? 503 : 200;
      res.end('{}');
      return;
    }
    // The platform's scheduled health check probes the upstream's own URL (`/`) once a minute: only
    // the API's route counts as a call.
    if (req.url?.startsWith('/products')) apiCalls++;
    res.statusCode = failing ? 500 : 200;
    res.end(failing ? '{"error":"down"}' : '{"products":["p-1"]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    apiCalls: () => apiCalls,
    polls,
    answerWith: (next: unknown) => {
      answer = next;
    },
    fail: (on: boolean) => {
      failing = on;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Creates a partner through the console as `operator` (the shared secret never comes back); its id. */
export async function newPartner(operator: string, extra: Record<string, unknown> = {}): Promise<string> {
  const partnerId = uniqueName('partner')
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '')
    .slice(0, 40);
  const created = await as(operator).send('PUT', `/console/v1/partners/${partnerId}`, {
    name: 'Simulated partner',
    sharedSecret: PARTNER_SECRET,
    ...extra,
  });
  expect(created.status, created.text).toBe(201);
  expect(JSON.stringify(created.body)).not.toContain(PARTNER_SECRET);
  return partnerId;
}

/**
 * Who the partner-health tests act as: the admin, an operator (console), the demo app (gateway calls)
 * and an app holding the health-read scope (the query the gateway makes).
 */
export async function partnerHealthActors() {
  const admin = await adminToken();
  const reader = await createApp(admin, { name: 'health reader', scopes: [HEALTH_READ_SCOPE] });
  return {
    admin,
    operator: await consoleToken(admin, 'operator'),
    app: await demoToken(),
    healthReader: await tokenFor(reader.clientId, reader.clientSecret),
  };
}
