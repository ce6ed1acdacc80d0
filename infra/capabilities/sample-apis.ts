import { Duration } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { PorticoFunction } from '../constructs/portico-function.ts';
import { Capability, type CapabilityProps } from './capability.ts';

/**
 * Internal APIs written as Lambda functions, reached only through the gateway as Lambda upstreams:
 * no routes and no grants of their own. Their names carry the upstream target prefix, which is what
 * lets an API definition name them and the gateway invoke them.
 */
export class SampleApis extends Capability {
  readonly orders: PorticoFunction;

  constructor(scope: Construct, id: string, props: CapabilityProps) {
    super(scope, id, props);
    this.orders = new PorticoFunction(this, 'OrdersSampleFunction', {
      entry: 'functions/samples/orders.ts',
      service: 'sample-orders',
      functionName: `${this.upstreamTargetPrefix}orders`,
      memorySize: 256,
      // Longer than any API timeout a test gives it, shorter than its slowest route: a call to
      // `/slow?ms=20000` ends in the function's own timeout, a function error.
      timeout: Duration.seconds(10),
    });
  }
}
