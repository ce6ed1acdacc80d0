import { expect } from 'vitest';
import { as, call } from './http.ts';
import { eventually } from './wait.ts';

/** `PUT /console/v1/apis/{name}` as `token`; the answer as it comes. */
export const putApi = (
  token: string,
  name: string,
  definition: unknown,
  headers: Record<string, string> = {},
) => as(token).send('PUT', `/console/v1/apis/${name}`, definition, headers);

/** `GET /console/v1/apis/{name}` as `token`. */
export const getApi = (token: string, name: string) => as(token).get(`/console/v1/apis/${name}`);

/**
 * Waits until the gateway serves API `name` (its registry view is refreshed about every second): an
 * OPTIONS request to `path` under it no longer answers 404.
 */
export async function untilServed(name: string, path = '/', timeoutMs = 10_000): Promise<void> {
  await eventually(
    async () =>
      (await call(`/apis/${name}${path}`, { method: 'OPTIONS' })).status === 404 ? undefined : true,
    timeoutMs,
    { intervalMs: 200, message: `${name} not served within ${timeoutMs / 1000} s` },
  );
}

/**
 * Creates API `name` as `token` (with a 3 s timeout unless the definition says otherwise), fails the
 * test unless it is created, and waits until the gateway serves it (see `untilServed`). Returns the name.
 */
export async function registerApi(
  token: string,
  name: string,
  definition: Record<string, unknown>,
  servedAt = '/',
): Promise<string> {
  const response = await putApi(token, name, { timeoutMs: 3000, ...definition });
  expect(response.status, `register ${name}: ${response.text}`).toBe(201);
  await untilServed(name, servedAt);
  return name;
}
