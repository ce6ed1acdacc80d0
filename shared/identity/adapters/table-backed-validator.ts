import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TOKEN_AUDIENCE } from '../../config/names.ts';
import { AccessTokenValidator } from '../access-token-validator.ts';
import { RevocationCache } from '../revocation-cache.ts';
import { TokenVerifier } from '../token-verifier.ts';
import { DynamoTokenStore } from './dynamo-token-store.ts';
import { DynamoPublicKeyStore } from './signing-key-stores.ts';

/** The bearer-token validator every resource server (gateway, console) builds from the identity table. */
export function tableBackedValidator(
  db: DynamoDBDocumentClient,
  table: string,
  issuer: string,
): AccessTokenValidator {
  const tokens = new DynamoTokenStore(db, table);
  return new AccessTokenValidator(
    new TokenVerifier(new DynamoPublicKeyStore(db, table), { issuer, audience: TOKEN_AUDIENCE }),
    new RevocationCache(tokens),
    tokens,
  );
}
