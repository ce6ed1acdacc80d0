import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildUnbundledPortico, STACK_NAMES } from '../app.ts';
import type { ApiStack } from './api-stack.ts';
import type { DataStack } from './data-stack.ts';

type Json = any;
const app = buildUnbundledPortico();
const data = app.node.findChild(STACK_NAMES.data) as DataStack;
const api = app.node.findChild(STACK_NAMES.api) as ApiStack;
const templates = [Template.fromStack(data).toJSON(), Template.fromStack(api).toJSON()];
const resources: Record<string, Json> = Object.assign({}, ...templates.map((t) => t.Resources));
const outputs: Record<string, Json> = Object.assign({}, ...templates.map((t) => t.Outputs ?? {}));

/** The logical id a `Ref`, `Fn::GetAtt` or cross-stack `Fn::ImportValue` points at. */
function target(value: Json): string | undefined {
  if (value?.Ref) return value.Ref;
  if (value?.['Fn::GetAtt']) return value['Fn::GetAtt'][0];
  const imported = value?.['Fn::ImportValue'];
  if (imported) {
    const output = Object.values(outputs).find((o: Json) => o.Export?.Name === imported);
    return target(output?.Value);
  }
  return undefined;
}

/** Every place a template names a queue as where failures go: redrive policies, DLQ and on-failure settings. */
function deadLetterQueues(): Set<string> {
  const found = new Set<string>();
  // Arrays too: their entries are [index, item].
  const visit = (node: Json) => {
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (['deadLetterTargetArn', 'DeadLetterConfig', 'OnFailure', 'DeadLetterTargetArn'].includes(k)) {
        const id = target((v as Json)?.Arn ?? (v as Json)?.Destination ?? v);
        if (id && resources[id]?.Type === 'AWS::SQS::Queue') found.add(id);
      }
      visit(v);
    }
  };
  visit(resources);
  return found;
}

const alarms = Object.values(resources).filter((r: Json) => r.Type === 'AWS::CloudWatch::Alarm');
const alarmTopic = Object.keys(resources).find((id) => resources[id].Type === 'AWS::SNS::Topic')!;

describe('alarms', () => {
  it('finds the dead-letter queues of every queue, rule target, schedule and stream mapping', () => {
    const names = [...deadLetterQueues()].map((id) => id.replace(/[0-9A-F]{8}$/, ''));
    expect(names.sort()).toEqual(
      [
        'AnalyticsFailuresDlq',
        'BusDeliveryDlq',
        'DeliveryQueueDlq',
        'MessageIngestQueueDlq',
        'PartnerPollQueueDlq',
        'ScheduleDlq',
        'UpstreamAlertQueueDlq',
      ].sort(),
    );
  });

  it('raises an alarm to the operators as soon as any dead-letter queue holds a message', () => {
    for (const queue of deadLetterQueues()) {
      const alarm = alarms.find(
        (a: Json) =>
          a.Properties.Namespace === 'AWS/SQS' &&
          a.Properties.MetricName === 'ApproximateNumberOfMessagesVisible' &&
          a.Properties.Dimensions?.some((d: Json) => target(d.Value) === queue),
      );
      expect(alarm, queue).toBeDefined();
      expect(alarm.Properties, queue).toMatchObject({
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
      expect(alarm.Properties.AlarmActions.map(target), queue).toEqual([alarmTopic]);
    }
  });

  it('sends every alarm of the platform, and its return to OK, to the alarm topic', () => {
    expect(alarms.length).toBeGreaterThan(deadLetterQueues().size);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions.map(target)).toEqual([alarmTopic]);
      expect(alarm.Properties.OKActions.map(target)).toEqual([alarmTopic]);
    }
  });

  it('keeps the alarm topic encrypted with the platform key, which CloudWatch may use for it', () => {
    const topic = resources[alarmTopic];
    expect(target(topic.Properties.KmsMasterKeyId)).toMatch(/^PlatformKey/);
    const keyPolicy = Object.values(resources).find((r: Json) => r.Type === 'AWS::KMS::Key').Properties
      .KeyPolicy;
    expect(keyPolicy.Statement).toContainEqual(
      expect.objectContaining({
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      }),
    );
  });

  it('watches the gateway, the aggregator, deliveries and request logs, and draws them on one dashboard', () => {
    const metricOf = (a: Json) =>
      a.Properties.MetricName ?? a.Properties.Metrics?.find((m: Json) => m.Expression)?.Expression;
    const watched = alarms.map((a: Json) => [a.Properties.Namespace, metricOf(a)].join(' '));
    for (const expected of [
      /^Portico BreakersOpened$/,
      /^Portico UpstreamProbesFailed$/,
      /^AWS\/Lambda Duration$/,
      /^AWS\/Lambda IteratorAge$/,
      /^AWS\/Lambda Errors$/,
      /^AWS\/Firehose DeliveryToS3\.DataFreshness$/,
      /IF\(.*>= 100, 100 \* o4/,
    ])
      expect(
        watched.some((w: string) => expected.test(w)),
        String(expected),
      ).toBe(true);
    const dashboards = Object.values(resources).filter((r: Json) => r.Type === 'AWS::CloudWatch::Dashboard');
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0].Properties.DashboardBody);
    for (const metric of [
      'GatewayCallsFailed',
      'IteratorAge',
      'DeliveryToS3.DataFreshness',
      'BreakersOpened',
    ])
      expect(body, metric).toContain(metric);
  });
});
