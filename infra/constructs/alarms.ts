import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { METRICS_NAMESPACE } from './portico-function.ts';

/** Sends the alarm's state changes to the operators' topic (in alarm and back to OK). */
export function notifyOperators(alarm: Alarm, topic: ITopic): Alarm {
  const action = new SnsAction(topic);
  alarm.addAlarmAction(action);
  alarm.addOkAction(action);
  return alarm;
}

/**
 * An alarm as soon as a dead-letter queue holds a message: whatever lands there was given up by its
 * consumer and waits for an operator (a redrive, a replay, or a fix and then one of those).
 */
export function deadLetterAlarm(scope: Construct, queue: IQueue, topic: ITopic, what: string): Alarm {
  return notifyOperators(
    new Alarm(scope, `${queue.node.id}DepthAlarm`, {
      alarmDescription: `${what} is not empty: something was given up and waits for an operator.`,
      metric: queue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: 'Maximum',
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    }),
    topic,
  );
}

/**
 * An alarm when one of the platform's own metrics (Powertools EMF, namespace Portico, dimension
 * `service`) reaches 1 within five minutes.
 */
export function metricAlarm(
  scope: Construct,
  id: string,
  metric: { service: string; metricName: string; statistic: 'Sum' | 'Maximum' },
  topic: ITopic,
  description: string,
): Alarm {
  return notifyOperators(
    new Alarm(scope, id, {
      alarmDescription: description,
      metric: new Metric({
        namespace: METRICS_NAMESPACE,
        metricName: metric.metricName,
        dimensionsMap: { service: metric.service },
        statistic: metric.statistic,
        period: Duration.minutes(5),
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    }),
    topic,
  );
}
