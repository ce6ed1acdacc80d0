import { Duration } from 'aws-cdk-lib';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { InvocationType, Trigger } from 'aws-cdk-lib/triggers';
import type { Construct } from 'constructs';
import { DISCOVERY_ROUTES, OPENAPI_FILE } from '../../functions/discovery/routes.ts';
import { OAUTH_ROUTES, type OAuthHandlerModule } from '../../functions/oauth/routes.ts';
import { ENV } from '../../shared/config/names.ts';
import { grantItems, grantSecret } from '../constructs/grants.ts';
import { callerPathMemoryMb, MEASURED_INIT_MS } from '../constructs/memory-sizes.ts';
import { acknowledge, attributeRef, schedulerRolePolicy } from '../constructs/nag.ts';
import { PorticoFunction } from '../constructs/portico-function.ts';
import { Capability, type CapabilityProps } from './capability.ts';

export interface IdentityApiProps extends CapabilityProps {
  /** Where a key rotation that failed every retry is kept. */
  readonly scheduleFailures: IQueue;
}

/** Why the OAuth routes need no API Gateway authorizer (cdk-nag APIG4). */
const OAUTH_AUTHORIZATION =
  'OAuth endpoints authenticate the client themselves (RFC 6749 client authentication, in the function); ' +
  '/oauth2/authorize signs the user in on its own consent page';
const PUBLIC_DOCUMENTS =
  'Public by standard: JWKS (RFC 7517), authorization-server metadata (RFC 8414) and the OpenAPI document ' +
  'are read without credentials';

/**
 * The OAuth 2.0 server: token, authorization (consent page), introspection and revocation, the public
 * discovery documents (JWKS, metadata, OpenAPI), and the signing keys: their rotation function, its
 * daily schedule and the deploy-time trigger that creates the first keys.
 */
export class IdentityApi extends Capability {
  readonly token: PorticoFunction;
  readonly authorize: PorticoFunction;
  readonly tokenManagement: PorticoFunction;
  readonly discovery: PorticoFunction;
  readonly rotate: PorticoFunction;
  readonly rotationSchedule: Schedule;

  constructor(scope: Construct, id: string, props: IdentityApiProps) {
    super(scope, id, props);
    const { data } = props;
    const issuer = props.httpApi.apiEndpoint;

    this.token = new PorticoFunction(this, 'OAuthTokenFunction', {
      entry: 'functions/oauth/token.ts',
      service: 'oauth-token',
      memorySize: callerPathMemoryMb(MEASURED_INIT_MS.token),
      environment: {
        [ENV.identityTable]: data.identityTable.tableName,
        [ENV.signingKeysSecret]: data.signingKeys.secretArn,
        [ENV.issuer]: issuer,
        [ENV.accessTokenTtl]: '3600',
        [ENV.refreshTokenTtl]: String(30 * 86_400),
      },
    });
    // Item prefixes per function: docs/data-model.md; checked by infra/stacks/least-privilege.test.ts.
    grantItems(this.token, data.identityTable, {
      GetItem: ['CLIENT#*', 'APP#*', 'DEV#*', 'CODE#*', 'RT#*', 'USERID#*'],
      BatchGetItem: ['AUTHFAIL#*'],
      Query: ['APP#*'],
      PutItem: ['APP#*', 'RT#*'],
      UpdateItem: ['AUTHFAIL#*', 'APP#*', 'CODE#*', 'RT#*'],
      BatchWriteItem: ['REVOKED'],
    });
    grantSecret(this.token, data.signingKeys, data.key, 'read');

    this.authorize = new PorticoFunction(this, 'OAuthAuthorizeFunction', {
      entry: 'functions/oauth/authorize.ts',
      service: 'oauth-authorize',
      environment: { [ENV.identityTable]: data.identityTable.tableName, [ENV.issuer]: issuer },
    });
    grantItems(this.authorize, data.identityTable, {
      GetItem: ['CLIENT#*', 'APP#*', 'DEV#*', 'AUTHZ#*', 'USER#*'],
      BatchGetItem: ['AUTHFAIL#*'],
      PutItem: ['AUTHZ#*', 'CODE#*'],
      UpdateItem: ['AUTHFAIL#*'],
      DeleteItem: ['AUTHZ#*'],
    });

    this.tokenManagement = new PorticoFunction(this, 'OAuthTokenManagementFunction', {
      entry: 'functions/oauth/token-management.ts',
      service: 'oauth-token-management',
      environment: { [ENV.identityTable]: data.identityTable.tableName, [ENV.issuer]: issuer },
    });
    grantItems(this.tokenManagement, data.identityTable, {
      GetItem: ['JWKS', 'CLIENT#*', 'APP#*', 'DEV#*', 'RT#*'],
      BatchGetItem: ['AUTHFAIL#*'],
      Query: ['APP#*'],
      UpdateItem: ['AUTHFAIL#*', 'APP#*'],
      BatchWriteItem: ['REVOKED'],
    });

    this.discovery = new PorticoFunction(this, 'DiscoveryFunction', {
      entry: 'functions/discovery/handler.ts',
      service: 'discovery',
      memorySize: callerPathMemoryMb(MEASURED_INIT_MS.discovery),
      environment: { [ENV.identityTable]: data.identityTable.tableName, [ENV.issuer]: issuer },
      // The OpenAPI document goes beside the bundle, read on first request (not part of the cold start).
      besideBundle: [`openapi/${OPENAPI_FILE}`],
    });
    grantItems(this.discovery, data.identityTable, { GetItem: ['JWKS'] });

    const oauth: Record<OAuthHandlerModule, PorticoFunction> = {
      token: this.token,
      authorize: this.authorize,
      'token-management': this.tokenManagement,
    };
    this.addRoutes(
      Object.entries(OAUTH_ROUTES).map(([key, module]) => [key, oauth[module]] as const),
      OAUTH_AUTHORIZATION,
    );
    this.addRoutes(
      Object.keys(DISCOVERY_ROUTES).map((key) => [key, this.discovery] as const),
      PUBLIC_DOCUMENTS,
    );

    this.rotate = new PorticoFunction(this, 'KeyRotationFunction', {
      entry: 'functions/keys/rotate.ts',
      service: 'signing-key-rotation',
      timeout: Duration.seconds(30),
      environment: {
        [ENV.identityTable]: data.identityTable.tableName,
        [ENV.signingKeysSecret]: data.signingKeys.secretArn,
        [ENV.identitySigningKeysSecret]: data.identitySigningKeys.secretArn,
        [ENV.keyRotationDays]: '30',
      },
    });
    // The public half of each key set: its JWKS item, read to detect drift and rewritten on change.
    grantItems(this.rotate, data.identityTable, { GetItem: ['JWKS'], PutItem: ['JWKS'] });
    grantSecret(this.rotate, data.signingKeys, data.key, 'readWrite');
    grantSecret(this.rotate, data.identitySigningKeys, data.key, 'readWrite');
    // A fresh deployment gets its first signing keys now, not at the schedule's first tick.
    new Trigger(this, 'SigningKeysBootstrap', {
      handler: this.rotate,
      executeOnHandlerChange: false,
      invocationType: InvocationType.REQUEST_RESPONSE,
      timeout: Duration.minutes(1),
    });
    this.rotationSchedule = new Schedule(this, 'KeyRotationSchedule', {
      description: 'Creates the first JWT and identity-token signing keys, then rotates them',
      schedule: ScheduleExpression.rate(Duration.hours(24)),
      target: new LambdaInvoke(this.rotate, { deadLetterQueue: props.scheduleFailures, retryAttempts: 3 }),
    });
    acknowledge(
      schedulerRolePolicy(this.rotationSchedule),
      `IAM5[Resource::${attributeRef(this.rotate, 'Arn')}:*]`,
      'The scheduler may invoke the key rotation function only, any version of it (CDK LambdaInvoke grant)',
    );
  }
}
