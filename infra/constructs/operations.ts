import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  SingleValueWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { DeliveryStream } from 'aws-cdk-lib/aws-kinesisfirehose';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { metricAlarm, notifyOperators } from './alarms.ts';
import { METRICS_NAMESPACE, type PorticoFunction } from './portico-function.ts';

export interface OperationsProps {
  gateway: PorticoFunction;
  aggregate: PorticoFunction;
  deliver: PorticoFunction;
  requestLogs: DeliveryStream;
  alarmTopic: ITopic;
}

const OUTCOMES = [
  'GatewayCallsSucceeded',
  'GatewayCallsRefused',
  'GatewayCallsRateLimited',
  'GatewayCallsCircuitOpen',
  'GatewayCallsFailed',
] as const;

const gatewayMetric = (metricName: string, period = Duration.minutes(1)) =>
  new Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service: 'gateway' },
    statistic: 'Sum',
    period,
  });

/**
 * What operators watch: one CloudWatch dashboard (gateway traffic by outcome, error rate, latency,
 * the aggregator's lag, deliveries, request-log delivery) and the alarms on the same figures, all sent
 * to the operators' topic. The per-queue dead-letter alarms sit with their queues.
 */
export class Operations extends Construct {
  readonly dashboard: Dashboard;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    const { gateway, aggregate, deliver, requestLogs, alarmTopic } = props;
    const alarm = (alarmId: string, options: ConstructorParameters<typeof Alarm>[2]) => {
      const created = notifyOperators(
        new Alarm(this, alarmId, { treatMissingData: TreatMissingData.NOT_BREACHING, ...options }),
        alarmTopic,
      );
      this.alarms.push(created);
      return created;
    };

    const byOutcome = Object.fromEntries(
      OUTCOMES.map((name, i) => [`o${i}`, gatewayMetric(name, Duration.minutes(5))]),
    );
    // Failed calls (5xx from upstreams or the platform) over all calls, once there are 100 in 5 minutes.
    const errorRate = new MathExpression({
      expression: `IF((${Object.keys(byOutcome).join('+')}) >= 100, 100 * o4 / (${Object.keys(byOutcome).join('+')}), 0)`,
      usingMetrics: byOutcome,
      label: 'Gateway 5xx %',
      period: Duration.minutes(5),
    });
    alarm('Gateway5xxRateAlarm', {
      alarmDescription:
        'More than 5 % of gateway calls failed (5xx) over 5 minutes: see the request logs by status.',
      metric: errorRate,
      threshold: 5,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    });
    const gatewayP99 = gateway.metricDuration({ statistic: 'p99', period: Duration.minutes(5) });
    alarm('GatewayLatencyP99Alarm', {
      alarmDescription:
        'The gateway’s p99 duration stayed above 3 s for 15 minutes: upstreams are slow or the platform is.',
      metric: gatewayP99,
      threshold: 3_000,
      evaluationPeriods: 3,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    });
    this.alarms.push(
      metricAlarm(
        this,
        'BreakerOpenedAlarm',
        { service: 'gateway', metricName: 'BreakersOpened', statistic: 'Sum' },
        alarmTopic,
        'A circuit breaker opened: an upstream is failing; see breaker events on the bus and the call trees',
      ),
      metricAlarm(
        this,
        'DeliveriesExhaustedAlarm',
        { service: 'messages-deliver', metricName: 'DeliveriesExhausted', statistic: 'Sum' },
        alarmTopic,
        'A message delivery used up its attempts and failed: the subscriber can recover it; see its delivery log',
      ),
      metricAlarm(
        this,
        'SubscriptionsDisabledAlarm',
        { service: 'messages-deliver', metricName: 'SubscriptionsDisabled', statistic: 'Sum' },
        alarmTopic,
        'A subscription was disabled (its endpoint kept failing or answered 410): its deliveries are held',
      ),
      metricAlarm(
        this,
        'PartnerTransitionsAlarm',
        { service: 'partners-evaluate', metricName: 'PartnerTransitions', statistic: 'Sum' },
        alarmTopic,
        "A partner's automatic health changed: an automatic notice was created, or one ended after recovery",
      ),
      metricAlarm(
        this,
        'UpstreamProbeFailedAlarm',
        { service: 'gateway-health-check', metricName: 'UpstreamProbesFailed', statistic: 'Sum' },
        alarmTopic,
        'An upstream failed its health probe and may be ejected: tell its provider',
      ),
    );
    const iteratorAge = aggregate.metric('IteratorAge', {
      statistic: 'Maximum',
      period: Duration.minutes(1),
    });
    alarm('AggregationLagAlarm', {
      alarmDescription:
        'The aggregator is more than 10 minutes behind the analytics stream: usage figures are stale, and records expire after a day.',
      metric: iteratorAge,
      threshold: 600_000,
      evaluationPeriods: 5,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    });
    for (const [fnId, fn, what] of [
      ['Deliver', deliver, 'Message delivery'],
      ['Aggregate', aggregate, 'Aggregation'],
    ] as const)
      alarm(`${fnId}ErrorsAlarm`, {
        alarmDescription: `${what} failed invocations for 10 minutes: its batches are retried, see its logs.`,
        metric: fn.metricErrors({ period: Duration.minutes(5) }),
        threshold: 1,
        evaluationPeriods: 2,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      });
    const freshness = requestLogs.metric('DeliveryToS3.DataFreshness', {
      statistic: 'Maximum',
      period: Duration.minutes(5),
    });
    alarm('RequestLogFreshnessAlarm', {
      alarmDescription:
        'Request logs wait more than 15 minutes to reach S3: the delivery stream cannot write.',
      metric: freshness,
      threshold: 900,
      evaluationPeriods: 2,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    });

    this.dashboard = new Dashboard(this, 'Dashboard', { defaultInterval: Duration.hours(3) });
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Gateway calls by outcome (per minute)',
        left: OUTCOMES.map((name) => gatewayMetric(name).with({ label: name.replace('GatewayCalls', '') })),
        stacked: true,
        width: 12,
      }),
      new GraphWidget({ title: 'Gateway 5xx %', left: [errorRate], width: 6 }),
      new GraphWidget({
        title: 'Gateway duration (ms)',
        left: ['p50', 'p99'].map((statistic) => gateway.metricDuration({ statistic, label: statistic })),
        width: 6,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Circuit breakers opened, upstream probes failed',
        left: [gatewayMetric('BreakersOpened')],
        right: [
          new Metric({
            namespace: METRICS_NAMESPACE,
            metricName: 'UpstreamProbesFailed',
            dimensionsMap: { service: 'gateway-health-check' },
            statistic: 'Sum',
          }),
        ],
        width: 8,
      }),
      new GraphWidget({ title: 'Aggregator lag (iterator age, ms)', left: [iteratorAge], width: 8 }),
      new GraphWidget({
        title: 'Deliveries: invocations and errors',
        left: [deliver.metricInvocations(), deliver.metricErrors()],
        width: 8,
      }),
    );
    this.dashboard.addWidgets(
      new SingleValueWidget({ title: 'Request logs: freshness (s)', metrics: [freshness], width: 8 }),
      new GraphWidget({
        title: 'Request logs: records in, to S3',
        left: [
          requestLogs.metricIncomingRecords(),
          requestLogs.metric('DeliveryToS3.Records', { statistic: 'Sum' }),
        ],
        width: 16,
      }),
    );
  }
}
