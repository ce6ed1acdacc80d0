import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { clientConfig, REQUEST_PATH_PROFILE, traced } from './clients.ts';

let client: EventBridgeClient | undefined;

/**
 * The client of the gateway's bus upstreams, made by the first hand-off to one (a caller waits for it:
 * unlike `event-bridge.ts`, a request-path client). The SDK package is the one the gateway's own
 * events already load, so it is imported statically: reached through a dynamic `import()` instead,
 * the bundler would keep the whole package and initialise it at load.
 */
export function upstreamEventBridge(): EventBridgeClient {
  client ??= traced(new EventBridgeClient(clientConfig(REQUEST_PATH_PROFILE)));
  return client;
}
