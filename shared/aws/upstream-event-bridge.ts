import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { clientConfig, REQUEST_PATH_PROFILE, traced } from './clients.ts';

/** Bus upstreams of the gateway: a caller waits for the hand-off (unlike `event-bridge.ts`, a background client). */
export const upstreamEventBridge = traced(new EventBridgeClient(clientConfig(REQUEST_PATH_PROFILE)));
