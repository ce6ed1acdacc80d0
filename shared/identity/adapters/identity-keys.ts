/**
 * Every key of the identity table, in one place (docs/data-model.md lists them). Item collections:
 * an app's tokens, credential pointers, refresh-token families and revoke-all marker live under its
 * `APP#` partition; everything else has a partition of its own.
 */
export const appKey = (appId: string) => ({ pk: `APP#${appId}`, sk: 'APP' });
export const developerKey = (developerId: string) => ({ pk: `DEV#${developerId}`, sk: 'DEV' });
export const credentialKey = (clientId: string) => ({ pk: `CLIENT#${clientId}`, sk: 'CLIENT' });
export const credentialPointerKey = (appId: string, clientId: string) => ({
  pk: `APP#${appId}`,
  sk: `CRED#${clientId}`,
});
/** gsi1 partitions: every app and every developer, in creation order. */
export const APPS_INDEX_PK = 'APPS';
export const DEVELOPERS_INDEX_PK = 'DEVELOPERS';
/** Query of an app's credential pointers: `pk = APP#… AND begins_with(sk, CRED#)`. */
export const credentialsOf = (appId: string) => ({ pk: `APP#${appId}`, skPrefix: 'CRED#' });
/** The console's audit log, newest first by `<at>#<id>`. */
export const AUDIT_PK = 'AUDIT';
export const auditKey = (at: string, id: string) => ({ pk: AUDIT_PK, sk: `${at}#${id}` });
export const accessTokenKey = (appId: string, jti: string) => ({ pk: `APP#${appId}`, sk: `TOKEN#${jti}` });
/** Query of an app's access tokens: `pk = APP#… AND begins_with(sk, TOKEN#)`. */
export const accessTokensOf = (appId: string) => ({ pk: `APP#${appId}`, skPrefix: 'TOKEN#' });
export const notBeforeKey = (appId: string) => ({ pk: `APP#${appId}`, sk: 'TOKENS_NOT_BEFORE' });
export const REVOKED_PK = 'REVOKED';
export const refreshTokenKey = (hash: string) => ({ pk: `RT#${hash}`, sk: 'RT' });
export const familyKey = (appId: string, familyId: string) => ({
  pk: `APP#${appId}`,
  sk: `FAMILY#${familyId}`,
});
export const authorizationRequestKey = (id: string) => ({ pk: `AUTHZ#${id}`, sk: 'AUTHZ' });
export const authorizationCodeKey = (hash: string) => ({ pk: `CODE#${hash}`, sk: 'CODE' });
export const nonceKey = (clientId: string, nonce: string) => ({
  pk: `NONCE#${clientId}#${nonce}`,
  sk: 'NONCE',
});
/** Failed-authentication counters per client id and per source address, one item per minute. */
export const authFailureKeys = (clientId: string, sourceIp: string, minute: string) => [
  { pk: `AUTHFAIL#client#${clientId.slice(0, 128)}`, sk: minute },
  { pk: `AUTHFAIL#ip#${sourceIp}`, sk: minute },
];
export const userKey = (username: string) => ({ pk: `USER#${username.toLowerCase()}`, sk: 'USER' });
/** A user's profile (no password) by user id, for the sessions of the web app (tokens name the user id). */
export const userProfileKey = (userId: string) => ({ pk: `USERID#${userId}`, sk: 'USER' });
export const JWKS_KEY = { pk: 'JWKS', sk: 'JWKS' };
/** The public keys of the gateway's identity tokens (identity-token.ts): a key set of their own. */
export const IDENTITY_JWKS_KEY = { pk: 'JWKS', sk: 'IDENTITY' };
/** An API access request (shared/portal/access-requests.ts), listed by status on gsi1. */
export const accessRequestKey = (requestId: string) => ({ pk: `ACCESS#${requestId}`, sk: 'ACCESS' });
export const accessRequestsIndexPk = (status: string) => `ACCESS#${status}`;
/** The copy in its developer's inbox, newest last. */
export const accessRequestInboxKey = (request: {
  developerId: string;
  createdAt: string;
  requestId: string;
}) => ({
  pk: `DEV#${request.developerId}`,
  sk: `ACCESS#${request.createdAt}#${request.requestId}`,
});
/** Held while an app has a pending request for an API: a second one is refused. */
export const accessRequestGuardKey = (appId: string, apiName: string) => ({
  pk: `APP#${appId}`,
  sk: `ACCESS#${apiName}`,
});
