import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { BACKGROUND_PROFILE, clientConfig, traced } from './clients.ts';

/** Breaker transitions are published from a background queue. */
export const eventBridge = traced(new EventBridgeClient(clientConfig(BACKGROUND_PROFILE)));
