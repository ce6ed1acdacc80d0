import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';

/**
 * A sample internal API written as an ordinary API Gateway (payload 2.0) Lambda function, registered
 * with the gateway as a Lambda upstream (`{ "lambda": "portico-internal-orders" }`): a tiny, fixed
 * order book, plus two routes to see the gateway's handling of a slow and of a failing function.
 *
 * - `GET /orders`, `GET /orders/{id}`, `POST /orders` (echoes the order back with an id, 201)
 * - `GET /whoami`: the caller as the gateway vouched for it (identity headers)
 * - `GET /slow?ms=N`: answers after N ms (at most 20 s)
 * - `GET /fail`: throws (a function error)
 */
const ORDERS = [
  { id: 'o-1001', item: 'espresso beans', quantity: 2, total: 24.5, currency: 'EUR' },
  { id: 'o-1002', item: 'milk frother', quantity: 1, total: 39.9, currency: 'EUR' },
];

const json = (statusCode: number, body: unknown): APIGatewayProxyResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> {
  const method = event.requestContext.http.method;
  const path = event.rawPath.replace(/\/$/, '') || '/';
  if (method === 'GET' && path === '/orders') return json(200, { items: ORDERS });
  if (method === 'POST' && path === '/orders') {
    const text = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString() : event.body;
    let order: unknown;
    try {
      order = JSON.parse(text ?? '');
    } catch {
      return json(400, { message: 'the body must be a JSON order' });
    }
    return json(201, { id: `o-${1000 + ORDERS.length + 1}`, ...(order as object) });
  }
  const one = /^\/orders\/([^/]+)$/.exec(path);
  if (method === 'GET' && one) {
    const order = ORDERS.find((o) => o.id === decodeURIComponent(one[1]!));
    return order ? json(200, order) : json(404, { message: 'no such order' });
  }
  if (method === 'GET' && path === '/whoami') {
    const h = event.headers;
    return json(200, {
      appId: h['x-portico-app-id'],
      clientId: h['x-portico-client-id'],
      scopes: h['x-portico-scopes'],
      identityToken: h['x-portico-identity'] !== undefined,
      traceparent: h.traceparent,
      requestId: event.requestContext.requestId,
      query: event.queryStringParameters ?? {},
    });
  }
  if (method === 'GET' && path === '/slow') {
    const ms = Math.min(Math.max(Number(event.queryStringParameters?.ms) || 0, 0), 20_000);
    await sleep(ms);
    return json(200, { sleptMs: ms });
  }
  if (method === 'GET' && path === '/fail') throw new Error('the sample orders function failed on purpose');
  return json(404, { message: `no route ${method} ${path}` });
}
