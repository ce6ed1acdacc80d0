import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { Construct } from 'constructs';
import { CATCH_ALL_ROUTE, PLANNED_ROUTES } from '../../functions/fallback/routes.ts';
import { PorticoFunction } from '../constructs/portico-function.ts';
import { Capability, type CapabilityProps, routeKeyOf } from './capability.ts';

/** Why these routes need no authorizer (cdk-nag APIG4). */
const NOTHING_TO_PROTECT = 'Answers 501 or 404 problem+json only; reads and writes nothing';

/**
 * The public paths reserved for capabilities not built yet (501) and the catch-all route (404), both
 * answered as problem+json by one small function.
 */
export class FallbackRoutes extends Capability {
  readonly fn: PorticoFunction;

  constructor(scope: Construct, id: string, props: CapabilityProps) {
    super(scope, id, props);

    this.fn = new PorticoFunction(this, 'FallbackFunction', {
      entry: 'functions/fallback/handler.ts',
      service: 'fallback',
      memorySize: 256,
    });
    this.addRoutes(
      PLANNED_ROUTES.map((key) => [key, this.fn] as const),
      NOTHING_TO_PROTECT,
    );
    // Created on the HTTP API itself (as its catch-all has always been), with an integration of its own.
    const catchAll = routeKeyOf(CATCH_ALL_ROUTE);
    for (const route of props.httpApi.addRoutes({
      path: catchAll.path!,
      methods: [catchAll.method],
      integration: new HttpLambdaIntegration('DefaultIntegration', this.fn),
    }))
      this.acknowledgeRoute(route, NOTHING_TO_PROTECT);
  }
}
