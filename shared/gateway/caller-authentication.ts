import { TtlCache } from '../cache.ts';
import type { AccessTokenValidator } from '../identity/access-token-validator.ts';
import { activeApp } from '../identity/active-app.ts';
import { type App, liveSecrets, type StoredCredential } from '../identity/model.ts';
import type { AppStore, NonceStore, SecretCipher } from '../identity/ports.ts';
import { secretContext } from '../identity/register-app.ts';
import { SIGNATURE_SCHEME, verifySignedRequest } from '../identity/request-signing.ts';
import { scopesOf } from '../identity/tokens.ts';
import { DomainError } from '../kernel/errors.ts';
import type { GatewayCall } from './call.ts';
import type { CallerIdentity } from './forward.ts';

/** Decrypted secrets stay in memory this long: a rotation or a disabled app takes effect within it. */
const SIGNING_CLIENT_TTL_MS = 60_000;
const MAX_CACHED_CLIENTS = 10_000;

interface SigningClient {
  credential: StoredCredential;
  app: App;
  /** Decrypted secrets with their expiry, checked at each use so an expired one stops on time. */
  secrets: { value: string; expiresAt?: number }[];
  loadedAt: number;
}

/** A signature that fails against cached secrets is retried once with fresh ones if the cache is older than this. */
const RELOAD_ON_MISMATCH_AFTER_MS = 1_000;

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

  async authenticate(call: GatewayCall): Promise<CallerIdentity & { via: 'token' | 'signature' }> {
    const { authorization } = call.headers;
    if (authorization?.trimStart().toLowerCase().startsWith(SIGNATURE_SCHEME.toLowerCase())) {
      return this.bySignature(call, authorization);
    }
    const token = await this.tokens.validate(authorization);
    return {
      appId: token.app_id,
      clientId: token.client_id,
      ...(token.inner_id ? { innerId: token.inner_id } : {}),
      scopes: scopesOf(token),
      sandbox: token.sandbox === true,
      via: 'token',
    };
  }

  private async bySignature(call: GatewayCall, authorization: string) {
    const request = {
      method: call.method,
      path: call.rawPath,
      rawQueryString: call.rawQueryString,
      contentType: call.headers['content-type'],
      body: call.body(),
    };
    let client: SigningClient | undefined;
    const verify = (reload: boolean) =>
      verifySignedRequest(
        request,
        authorization,
        {
          secretsFor: async (id) => {
            client = await this.signingClient(id, reload);
            const now = Date.now();
            return (client?.secrets ?? [])
              .filter((s) => s.expiresAt === undefined || s.expiresAt > now)
              .map((s) => s.value);
          },
          nonces: this.signatures.nonces,
        },
        new Date(),
      );
    let clientId: string;
    try {
      ({ clientId } = await verify(false));
    } catch (error) {
      // A secret rotated a moment ago is not in the cache yet: look once more before refusing.
      const stale = client !== undefined && Date.now() - client.loadedAt > RELOAD_ON_MISMATCH_AFTER_MS;
      if (!(error instanceof DomainError && error.details.reason === 'bad-signature' && stale)) throw error;
      ({ clientId } = await verify(true));
    }
    const { app, credential } = client!;
    return {
      appId: app.appId,
      clientId,
      ...(app.innerId ? { innerId: app.innerId } : {}),
      scopes: app.scopes,
      sandbox: credential.environment === 'sandbox',
      via: 'signature' as const,
    };
  }

  private async signingClient(clientId: string, reload = false): Promise<SigningClient | undefined> {
    let entry = this.signingClients.get(clientId);
    if (!entry) {
      if (this.signingClients.size >= MAX_CACHED_CLIENTS)
        this.signingClients.delete(this.signingClients.keys().next().value!);
      entry = new TtlCache(() => this.loadSigningClient(clientId), SIGNING_CLIENT_TTL_MS);
      this.signingClients.set(clientId, entry);
    }
    if (reload) return entry.refresh();
    const cached = await entry.get();
    // Disabling the app or its developer cuts signed calls off as fast as its tokens.
    if (cached && (await this.tokens.isAppRevokedAfter(cached.app.appId, cached.loadedAt)))
      return entry.refresh();
    return cached;
  }

  private async loadSigningClient(clientId: string): Promise<SigningClient | undefined> {
    const credential = await this.signatures.apps.getCredential(clientId);
    if (credential?.status !== 'active') return undefined;
    const app = await activeApp(this.signatures.apps, credential.appId);
    if (!app) return undefined;
    const context = secretContext(app.appId, clientId);
    const secrets = await Promise.all(
      liveSecrets(credential, new Date()).map(async (v) => ({
        value: await this.signatures.cipher.decrypt(v.ciphertext, context),
        ...(v.expiresAt ? { expiresAt: Date.parse(v.expiresAt) } : {}),
      })),
    );
    return { credential, app, secrets, loadedAt: Date.now() };
  }
}
