import type { Construct } from 'constructs';
import { CONSOLE_ROUTES } from '../../functions/console/routes.ts';
import { ENV } from '../../shared/config/names.ts';
import { grantItems, grantKeyUse } from '../constructs/grants.ts';
import { PorticoFunction } from '../constructs/portico-function.ts';
import { Capability, type CapabilityProps } from './capability.ts';

/** Why the console routes need no API Gateway authorizer (cdk-nag APIG4). */
const CONSOLE_AUTHORIZATION =
  'The console function verifies the bearer token and the least role functions/console/routes.ts ' +
  'names for every route';

/**
 * The admin API: developers, apps, credentials, tokens, the API registry and the audit log, one
 * function behind every route of functions/console/routes.ts (which its handler enforces the roles of).
 */
export class ConsoleApi extends Capability {
  readonly fn: PorticoFunction;

  constructor(scope: Construct, id: string, props: CapabilityProps) {
    super(scope, id, props);
    const { data } = props;

    const fn = new PorticoFunction(this, 'ConsoleFunction', {
      entry: 'functions/console/handler.ts',
      service: 'console',
      environment: {
        [ENV.identityTable]: data.identityTable.tableName,
        [ENV.registryTable]: data.registryTable.tableName,
        [ENV.secretsKeyId]: data.key.keyArn,
        [ENV.issuer]: props.httpApi.apiEndpoint,
        [ENV.egressAllow]: this.egressAllow,
        [ENV.upstreamTargetPrefix]: this.upstreamTargetPrefix,
        [ENV.messagesTable]: data.messagesTable.tableName,
      },
    });
    this.fn = fn;
    // Every console write is one transaction with its AUDIT entry: Put, Delete and ConditionCheck items.
    // Deciding an access request writes it (ACCESS#, its inbox copy under DEV#) with the app's scopes.
    grantItems(
      fn,
      data.identityTable,
      {
        GetItem: ['JWKS', 'APP#*', 'CLIENT#*', 'DEV#*', 'ACCESS#*'],
        BatchGetItem: ['CLIENT#*'],
        Query: ['REVOKED', 'APP#*', 'AUDIT'],
        PutItem: ['APP#*', 'CLIENT#*', 'DEV#*', 'AUDIT', 'ACCESS#*'],
        UpdateItem: ['APP#*'],
        DeleteItem: ['APP#*', 'CLIENT#*', 'DEV#*'],
        ConditionCheckItem: ['APP#*'],
        BatchWriteItem: ['REVOKED'],
      },
      // Access requests by status (ACCESS#pending…) beside the app and developer listings.
      { indexQueries: { gsi1: ['APPS', 'DEVELOPERS', 'ACCESS#*'] } },
    );
    grantItems(fn, data.registryTable, {
      GetItem: ['API#*'],
      Query: ['APIS'],
      PutItem: ['API#*', 'APIS'],
      UpdateItem: ['REGISTRY'],
      DeleteItem: ['API#*', 'APIS'],
    });
    // The topic catalog (TOPICS) and, before a topic is deleted, its subscriptions (TOPIC#).
    grantItems(fn, data.messagesTable, {
      GetItem: ['TOPICS'],
      Query: ['TOPICS', 'TOPIC#*'],
      PutItem: ['TOPICS'],
      DeleteItem: ['TOPICS'],
    });
    grantKeyUse(fn, data.key, 'kms:Encrypt', { purpose: 'client-secret' });

    this.addRoutes(
      Object.keys(CONSOLE_ROUTES).map((key) => [key, fn] as const),
      CONSOLE_AUTHORIZATION,
    );
  }
}
