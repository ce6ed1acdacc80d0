import type { Construct } from 'constructs';
import { PORTAL_ROUTES } from '../../functions/portal/routes.ts';
import { ENV } from '../../shared/config/names.ts';
import { grantItems } from '../constructs/grants.ts';
import { PorticoFunction } from '../constructs/portico-function.ts';
import { Capability, type CapabilityProps } from './capability.ts';

/** Why these routes need no authorizer (cdk-nag APIG4). */
const PUBLIC_DOCUMENTS =
  'Public API documentation: the catalog of published and deprecated APIs and their OpenAPI documents, which show nothing of how an API is served';

/**
 * The developer portal as far as it exists: the API catalog and each API's generated OpenAPI document
 * (`GET /v1/apis`, `GET /v1/apis/{apiName}/openapi.json`), read from the registry.
 */
export class Portal extends Capability {
  readonly fn: PorticoFunction;

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
  }
}
