import { Duration } from 'aws-cdk-lib';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { KinesisEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Construct } from 'constructs';
import {
  ANALYTICS_APP_ROUTES,
  ANALYTICS_CONSOLE_ROUTES,
  LOG_ROUTES,
  PROVIDER_REPORT_ROUTE,
  TRACE_CONSOLE_ROUTES,
} from '../../functions/analytics/routes.ts';
import { ENV } from '../../shared/config/names.ts';
import { grantItems, grantTokenValidation } from '../constructs/grants.ts';
import { acknowledge, cfn } from '../constructs/nag.ts';
import { PorticoFunction } from '../constructs/portico-function.ts';
import { Capability, type CapabilityProps } from './capability.ts';

const CELLS = ['calls', 'calls#*', 'deliveries', 'deliveries#*'] as const;

const API_AUTHORIZATION =
  "The analytics functions verify the caller: console routes need the role functions/analytics/routes.ts names, app routes answer for the caller's own app only, and a provider's error report needs that API's provider key";

/**
 * Analytics as far as it exists: the function that adds the records of the analytics stream to the
 * minute, hour and day aggregates exactly once, fed by Kinesis (bisect on error, retries for as long as
 * the stream keeps the records, on-failure queue).
 */
export class Analytics extends Capability {
  readonly aggregate: PorticoFunction;
  readonly api: PorticoFunction;
  /** Request-log search (`GET /console/v1/logs`). */
  readonly logs: PorticoFunction;
  /** Call chains, providers' error reports and provider keys. */
  readonly traces: PorticoFunction;

  constructor(scope: Construct, id: string, props: CapabilityProps) {
    super(scope, id, props);
    const { data } = props;

    const aggregate = new PorticoFunction(this, 'AnalyticsAggregateFunction', {
      entry: 'functions/analytics/aggregate.ts',
      service: 'analytics-aggregate',
      timeout: Duration.seconds(60),
      environment: { [ENV.analyticsTable]: data.analyticsTable.tableName },
    });
    this.aggregate = aggregate;
    // aggregate-stream.ts: each cell (`calls…`, `deliveries…`) is read and put back whole, conditioned on
    // the version read.
    grantItems(aggregate, data.analyticsTable, {
      BatchGetItem: CELLS,
      PutItem: CELLS,
    });
    aggregate.addEventSource(
      new KinesisEventSource(data.analyticsStream, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        // Each cell a batch touches is written once (about 1.2 MB of records at 2,000): the more records a
        // batch holds, the fewer writes per record, since calls of one API, app and minute share a cell.
        // The window bounds how stale the figures are when traffic is light.
        batchSize: 2_000,
        maxBatchingWindow: Duration.seconds(10),
        // Only a store failure fails a batch (undecodable records are passed over), and each cell's
        // per-shard mark makes a retry add nothing twice: retried until the stream would drop the records,
        // so an outage of the table delays the figures instead of losing them. One reader per shard
        // (parallelization factor 1) keeps the records of a shard in order, which the marks rely on.
        retryAttempts: 10_000,
        maxRecordAge: Duration.days(1),
        parallelizationFactor: 1,
        bisectBatchOnError: true,
        onFailure: new SqsDlq(data.analyticsFailures),
      }),
    );
    // SqsDlq grants SendMessage on the KMS-encrypted failure queue with CDK's encrypt/decrypt action set.
    const policy = cfn(aggregate.role!.node.findChild('DefaultPolicy'));
    for (const action of ['kms:GenerateDataKey*', 'kms:ReEncrypt*'])
      acknowledge(
        policy,
        `IAM5[Action::${action}]`,
        'CDK grant for sending failed batches to the encrypted AnalyticsFailuresDlq; on the platform key only',
      );

    this.api = new PorticoFunction(this, 'AnalyticsApiFunction', {
      entry: 'functions/analytics/api.ts',
      service: 'analytics-api',
      environment: {
        [ENV.analyticsTable]: data.analyticsTable.tableName,
        [ENV.messagesTable]: data.messagesTable.tableName,
        [ENV.identityTable]: data.identityTable.tableName,
        [ENV.issuer]: props.httpApi.apiEndpoint,
      },
    });
    grantTokenValidation(this.api, data.identityTable);
    grantItems(this.api, data.analyticsTable, { Query: ['calls', 'calls#*', 'deliveries', 'deliveries#*'] });
    // An app's usage of one subscription: the subscription is read to check that it is the app's.
    grantItems(this.api, data.messagesTable, { GetItem: ['SUB#*'] });
    this.addRoutes(
      [...Object.keys(ANALYTICS_CONSOLE_ROUTES), ...ANALYTICS_APP_ROUTES].map(
        (key) => [key, this.api] as const,
      ),
      API_AUTHORIZATION,
    );

    const { requestLogs } = data;
    const logSearchEnvironment = {
      [ENV.identityTable]: data.identityTable.tableName,
      [ENV.issuer]: props.httpApi.apiEndpoint,
      [ENV.requestLogBucket]: requestLogs.bucket.bucketName,
      [ENV.athenaWorkGroup]: requestLogs.workGroup.ref,
      [ENV.requestLogDatabase]: requestLogs.databaseName,
      [ENV.requestLogTable]: requestLogs.tableName,
    };
    this.logs = new PorticoFunction(this, 'RequestLogSearchFunction', {
      entry: 'functions/analytics/logs.ts',
      service: 'analytics-logs',
      // An Athena search runs for seconds; API Gateway answers by 30 s.
      timeout: Duration.seconds(28),
      environment: logSearchEnvironment,
    });
    grantTokenValidation(this.logs, data.identityTable);
    requestLogs.grantSearch(this.logs);
    this.addRoutes(
      Object.keys(LOG_ROUTES).map((key) => [key, this.logs] as const),
      API_AUTHORIZATION,
    );

    this.traces = new PorticoFunction(this, 'CallChainFunction', {
      entry: 'functions/analytics/traces.ts',
      service: 'analytics-traces',
      timeout: Duration.seconds(28),
      environment: {
        ...logSearchEnvironment,
        [ENV.registryTable]: data.registryTable.tableName,
        [ENV.analyticsTable]: data.analyticsTable.tableName,
        [ENV.requestLogRetentionDays]: String(requestLogs.retentionDays),
      },
    });
    grantTokenValidation(this.traces, data.identityTable);
    requestLogs.grantSearch(this.traces);
    // call-chain.ts: error reports by trace (TRACE#); provider keys (PROVIDER_KEY#) against their API.
    grantItems(this.traces, data.analyticsTable, { PutItem: ['TRACE#*'], Query: ['TRACE#*'] });
    grantItems(this.traces, data.registryTable, {
      GetItem: ['API#*', 'PROVIDER_KEY#*'],
      PutItem: ['PROVIDER_KEY#*'],
      DeleteItem: ['PROVIDER_KEY#*'],
    });
    this.addRoutes(
      [...Object.keys(TRACE_CONSOLE_ROUTES), PROVIDER_REPORT_ROUTE].map((key) => [key, this.traces] as const),
      API_AUTHORIZATION,
    );
  }
}
