import type { Construct } from 'constructs';
import { DEVELOPER_ROUTES, PORTAL_ROUTES, SIGN_UP_ROUTE } from '../../functions/portal/routes.ts';
import { ENV } from '../../shared/config/names.ts';
import { grantItems, grantKeyUse, grantSecret } from '../constructs/grants.ts';
import { PorticoFunction } from '../constructs/portico-function.ts';
import { Capability, type CapabilityProps } from './capability.ts';
import { WebHosting } from './web-hosting.ts';

/** Why these routes need no authorizer (cdk-nag APIG4). */
const PUBLIC_DOCUMENTS =
  'Public API documentation: the catalog of published and deprecated APIs and their OpenAPI documents, which show nothing of how an API is served';

/** Why sign-up needs no authorizer (cdk-nag APIG4). */
const SIGN_UP =
  'Self-service sign-up of a developer account: public by purpose, throttled per source address in the function';

/** Why the signed-in routes need no API Gateway authorizer (cdk-nag APIG4). */
const SESSION_TOKEN =
  'The function validates the bearer token itself (signature, revocation) and requires the portal scope of a signed-in person';

/**
 * The developer portal: the API catalog and each API's generated OpenAPI document (`GET /v1/apis`,
 * `GET /v1/apis/{apiName}/openapi.json`), read from the registry; and a signed-in person's own routes
 * (`/v1/me/...`: profile, apps, try-it tokens of an app's sandbox credential).
 */
export class Portal extends Capability {
  readonly fn: PorticoFunction;
  readonly developer: PorticoFunction;
  readonly web: WebHosting;

  constructor(scope: Construct, id: string, props: CapabilityProps) {
    super(scope, id, props);
    const { data } = props;
    this.fn = new PorticoFunction(this, 'PortalFunction', {
      entry: 'functions/portal/handler.ts',
      service: 'portal',
      environment: {
        [ENV.registryTable]: data.registryTable.tableName,
        [ENV.issuer]: props.httpApi.apiEndpoint,
      },
    });
    grantItems(this.fn, data.registryTable, { GetItem: ['API#*'], Query: ['APIS'] });
    this.addRoutes(
      Object.keys(PORTAL_ROUTES).map((key) => [key, this.fn] as const),
      PUBLIC_DOCUMENTS,
    );

    this.developer = new PorticoFunction(this, 'DeveloperFunction', {
      entry: 'functions/portal/developer.ts',
      service: 'portal-developer',
      environment: {
        [ENV.identityTable]: data.identityTable.tableName,
        [ENV.registryTable]: data.registryTable.tableName,
        [ENV.signingKeysSecret]: data.signingKeys.secretArn,
        [ENV.secretsKeyId]: data.key.keyArn,
        [ENV.issuer]: props.httpApi.apiEndpoint,
        // Context `signUpApproval`: `operator` holds new developer accounts until an operator activates them.
        [ENV.signUpApproval]: String(this.node.tryGetContext('signUpApproval') ?? 'automatic'),
      },
    });
    // Token validation (JWKS, REVOKED), profiles (USERID#) and sign-ups (DEV#, USER#, USERID#, AUDIT,
    // throttled by AUTHFAIL#), a developer's apps and credentials as the console writes them (APP#,
    // CLIENT#, with their AUDIT entries and token revocations), the try-it token records, and access
    // requests (ACCESS#, the inbox copy under DEV#, the pending guard under APP#).
    grantItems(
      this.developer,
      data.identityTable,
      {
        GetItem: ['JWKS', 'USERID#*', 'APP#*', 'CLIENT#*', 'DEV#*'],
        BatchGetItem: ['AUTHFAIL#*', 'CLIENT#*'],
        Query: ['REVOKED', 'APP#*', 'DEV#*'],
        PutItem: ['APP#*', 'CLIENT#*', 'DEV#*', 'USER#*', 'USERID#*', 'AUDIT', 'ACCESS#*'],
        UpdateItem: ['APP#*', 'AUTHFAIL#*'],
        DeleteItem: ['APP#*', 'CLIENT#*'],
        ConditionCheckItem: ['APP#*', 'DEV#*'],
        BatchWriteItem: ['REVOKED'],
      },
      { indexQueries: { gsi1: ['APPS'] } },
    );
    grantItems(this.developer, data.registryTable, { GetItem: ['API#*'] });
    grantSecret(this.developer, data.signingKeys, data.key, 'read');
    grantKeyUse(this.developer, data.key, 'kms:Encrypt', { purpose: 'client-secret' });
    this.addRoutes(
      Object.keys(DEVELOPER_ROUTES).map((key) => [key, this.developer] as const),
      SESSION_TOKEN,
    );
    this.addRoutes([[SIGN_UP_ROUTE, this.developer]], SIGN_UP);

    // Context `webAssets`: the built web app, set by `cdk` (infra/app.ts); template tests and the
    // local runtime go without (the local runtime serves web/dist itself).
    const assetsDir = this.node.tryGetContext('webAssets') as string | undefined;
    this.web = new WebHosting(this, 'Web', { httpApi: props.httpApi, ...(assetsDir ? { assetsDir } : {}) });
  }
}
