/**
 * The developer API of messages: what an app calls with its own bearer token. The CDK Messages construct
 * creates exactly these routes and the handler switches over the same keys.
 */
export const MESSAGES_API_ROUTES = [
  'GET /v1/topics',
  'GET /v1/topics/{topic}',
  'GET /v1/subscriptions',
  'POST /v1/subscriptions',
  'GET /v1/subscriptions/{subscriptionId}',
  'PATCH /v1/subscriptions/{subscriptionId}',
  'DELETE /v1/subscriptions/{subscriptionId}',
  'POST /v1/subscriptions/{subscriptionId}/rotate-secret',
  'POST /v1/subscriptions/{subscriptionId}/recover',
  'POST /v1/subscriptions/{subscriptionId}/test',
  'POST /v1/subscriptions/{subscriptionId}/pull',
  'POST /v1/subscriptions/{subscriptionId}/ack',
  'GET /v1/messages',
  'GET /v1/messages/{messageId}',
  'GET /v1/deliveries',
  'GET /v1/deliveries/{deliveryId}',
  'POST /v1/deliveries/{deliveryId}/replay',
] as const;

export type MessagesApiRouteKey = (typeof MESSAGES_API_ROUTES)[number];

/** Internal publishers' route: a platform client with `publish:<topic>` (functions/messages/publish.ts). */
export const PUBLISH_ROUTE = 'POST /internal/v1/topics/{topic}/messages';

/**
 * The message stream, an API Gateway WebSocket API (functions/messages/stream.ts): route keys, selected
 * by a frame's `action` (`$request.body.action`). The CDK Messages construct creates exactly these.
 */
export const MESSAGE_STREAM_ROUTES = ['$connect', '$disconnect', 'ack', 'resume', '$default'] as const;
export type MessageStreamRouteKey = (typeof MESSAGE_STREAM_ROUTES)[number];
/** Routes whose answer the client receives as a frame (a route response). */
export const MESSAGE_STREAM_ANSWERING_ROUTES: readonly MessageStreamRouteKey[] = [
  'ack',
  'resume',
  '$default',
];
/** The stage of the message stream: its URL ends in it. */
export const MESSAGE_STREAM_STAGE = 'v1';
