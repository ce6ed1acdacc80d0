import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Construct } from 'constructs';
import { ENV } from '../../shared/config/names.ts';
import { grantItems } from '../constructs/grants.ts';
import { PorticoFunction } from '../constructs/portico-function.ts';
import { Capability, type CapabilityProps } from './capability.ts';

/**
 * Messages as far as they exist: the function that stores every business event from the ingest queue
 * (fed by the bus rule in the data stack), with partial batch failures.
 */
export class Messages extends Capability {
  readonly ingest: PorticoFunction;

  constructor(scope: Construct, id: string, props: CapabilityProps) {
    super(scope, id, props);
    const { data } = props;

    this.ingest = new PorticoFunction(this, 'MessageIngestFunction', {
      entry: 'functions/messages/ingest.ts',
      service: 'messages-ingest',
      timeout: Duration.seconds(10),
      environment: { [ENV.messagesTable]: data.messagesTable.tableName },
    });
    grantItems(this.ingest, data.messagesTable, { PutItem: ['MSG#*'] });
    this.ingest.addEventSource(
      new SqsEventSource(data.messageIngestQueue, {
        batchSize: 10,
        maxBatchingWindow: Duration.seconds(1),
        reportBatchItemFailures: true,
      }),
    );
  }
}
