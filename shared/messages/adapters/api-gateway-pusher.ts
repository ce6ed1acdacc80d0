import {
  ApiGatewayManagementApiClient,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { BACKGROUND_PROFILE, clientConfig, traced } from '../../aws/clients.ts';
import type { ConnectionPusher } from '../ports.ts';

/**
 * The management endpoint of a WebSocket API stage, from the stage's own URL:
 * `wss://<api>.execute-api.<region>.amazonaws.com/<stage>` → `https://…/<stage>` (`ws:` → `http:` locally).
 */
export function managementEndpoint(streamUrl: string): string {
  const url = new URL(streamUrl);
  if (url.protocol !== 'wss:' && url.protocol !== 'ws:') throw new Error(`not a WebSocket URL: ${streamUrl}`);
  return `${url.protocol === 'wss:' ? 'https:' : 'http:'}//${url.host}${url.pathname.replace(/\/$/, '')}`;
}

/** Frames sent with API Gateway's PostToConnection; a closed connection answers 410 GoneException. */
export class ApiGatewayPusher implements ConnectionPusher {
  constructor(private readonly client: ApiGatewayManagementApiClient) {}

  /** A pusher for the stage at `streamUrl`, with the background client profile (timeouts, retries). */
  static forStream(streamUrl: string): ApiGatewayPusher {
    return new ApiGatewayPusher(
      traced(
        new ApiGatewayManagementApiClient({
          ...clientConfig(BACKGROUND_PROFILE),
          endpoint: managementEndpoint(streamUrl),
        }),
      ),
    );
  }

  async push(connectionId: string, frame: string): Promise<'sent' | 'gone'> {
    try {
      await this.client.send(
        new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.from(frame, 'utf8') }),
      );
      return 'sent';
    } catch (error) {
      if (error instanceof GoneException || (error as Error).name === 'GoneException') return 'gone';
      throw error;
    }
  }
}
