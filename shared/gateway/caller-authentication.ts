import { TtlCache } from '../cache.ts';
import { rawBody } from '../http/body.ts';
import { type HttpEvent, header } from '../http/types.ts';
import type { AccessTokenValidator } from '../identity/access-token-validator.ts';
import { type App, liveSecrets, type StoredCredential } from '../identity/model.ts';
import type { AppStore, SecretCipher } from '../identity/ports.ts';
import { secretContext } from '../identity/register-app.ts';
import { type NonceStore, SIGNATURE_SCHEME, verifySignedRequest } from '../identity/request-signing.ts';
import { scopesOf } from '../identity/tokens.ts';
import type { CallerIdentity } from './forward.ts';

/** Decrypted secrets stay in memory this long: a rotation or a disabled app takes effect within it. */
const SIGNING_CLIENT_TTL_MS = 60_000;
const MAX_CACHED_CLIENTS = 10_000;

interface SigningClient {
  credential: StoredCredential;
  app: App;
  secrets: string[];
}

/**
 * Who is calling the gateway: a bearer token (verified locally, revocation and usage limits honoured)
 * or a request signed with the app secret (HMAC, timestamp window, one-time nonce).
 */
export class CallerAuthentication {
  private readonly signingClients = new Map<string, TtlCache<SigningClient | undefined>>();

  constructor(
    private readonly tokens: AccessTokenValidator,
    private readonly signatures: { apps: AppStore; cipher: SecretCipher; nonces: NonceStore },
  ) {}

  async authenticate(event: HttpEvent): Promise<CallerIdentity & { via: 'token' | 'signature' }> {
    const authorization = header(event, 'authorization');
    if (authorization?.trimStart().toLowerCase().startsWith(SIGNATURE_SCHEME.toLowerCase())) {
      return this.bySignature(event, authorization);
    }
    const token = await this.tokens.validate(authorization);
    return {
      appId: token.app_id,
      clientId: token.client_id,
      ...(token.inner_id ? { innerId: token.inner_id } : {}),
      scopes: scopesOf(token),
      via: 'token',
    };
  }

  private async bySignature(event: HttpEvent, authorization: string) {
    let client: SigningClient | undefined;
    const { clientId } = await verifySignedRequest(
      {
        method: event.requestContext.http.method,
        path: event.rawPath,
        rawQueryString: event.rawQueryString,
        contentType: header(event, 'content-type'),
        body: rawBody(event),
      },
      authorization,
      {
        secretsFor: async (id) => {
          client = await this.signingClient(id);
          return client?.secrets ?? [];
        },
        nonces: this.signatures.nonces,
      },
      new Date(),
    );
    const { app } = client!;
    return {
      appId: app.appId,
      clientId,
      ...(app.innerId ? { innerId: app.innerId } : {}),
      scopes: app.scopes,
      via: 'signature' as const,
    };
  }

  private signingClient(clientId: string): Promise<SigningClient | undefined> {
    let entry = this.signingClients.get(clientId);
    if (!entry) {
      if (this.signingClients.size >= MAX_CACHED_CLIENTS)
        this.signingClients.delete(this.signingClients.keys().next().value!);
      entry = new TtlCache(() => this.loadSigningClient(clientId), SIGNING_CLIENT_TTL_MS);
      this.signingClients.set(clientId, entry);
    }
    return entry.get();
  }

  private async loadSigningClient(clientId: string): Promise<SigningClient | undefined> {
    const credential = await this.signatures.apps.getCredential(clientId);
    if (credential?.status !== 'active') return undefined;
    const app = await this.signatures.apps.getApp(credential.appId);
    if (app?.status !== 'active') return undefined;
    const context = secretContext(app.appId, clientId);
    const secrets = await Promise.all(
      liveSecrets(credential, new Date()).map((v) => this.signatures.cipher.decrypt(v.ciphertext, context)),
    );
    return { credential, app, secrets };
  }
}
