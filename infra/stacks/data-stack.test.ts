import type { CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { buildUnbundledPortico, STACK_NAMES } from '../app.ts';
import type { DataStack } from './data-stack.ts';

const app = buildUnbundledPortico();
const stack = app.node.findChild(STACK_NAMES.data) as DataStack;
const template = Template.fromStack(stack);

const FOURTEEN_DAYS = 14 * 24 * 3600;

type Resource = { Type: string; Properties?: Record<string, any>; DeletionPolicy?: string };

/** The logical ID a construct of this stack has in the template. */
const logicalId = (construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
/** The logical ID behind `{ 'Fn::GetAtt': [id, 'Arn'] }`, the way CloudFormation references a queue. */
const getAttId = (value: unknown) => (value as { 'Fn::GetAtt'?: [string, string] })?.['Fn::GetAtt']?.[0];

const queues = () => template.findResources('AWS::SQS::Queue') as Record<string, Resource>;

describe('DataStack: DynamoDB tables', () => {
  it('has exactly seven tables, each keyed pk/sk (strings), on-demand, with PITR and TTL on expiresAt', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 7);
    template.allResourcesProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ]),
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it.each([
    ['identity', () => stack.identityTable],
    ['registry', () => stack.registryTable],
    ['messages', () => stack.messagesTable],
    ['partners', () => stack.partnersTable],
  ])('retains the %s table when the stack is deleted or the table replaced', (_name, table) => {
    const resource = template.toJSON().Resources[logicalId(table())];
    expect(resource).toMatchObject({
      Type: 'AWS::DynamoDB::Table',
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it.each([
    ['rate-limit', () => stack.rateLimitTable],
    ['gateway state', () => stack.gatewayStateTable],
  ])('deletes the short-lived %s table with the stack', (_name, table) => {
    const resource = template.toJSON().Resources[logicalId(table())];
    expect(resource).toMatchObject({
      Type: 'AWS::DynamoDB::Table',
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
      Properties: { TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } },
    });
  });
});

describe('DataStack: platform KMS key', () => {
  it('is a single key with automatic rotation, retained on delete', () => {
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResource('AWS::KMS::Key', {
      Properties: Match.objectLike({ EnableKeyRotation: true }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });
});

describe('DataStack: SQS queues', () => {
  const deadLetterIds = () => {
    const ids = new Set<string>([logicalId(stack.analyticsFailures)]);
    for (const queue of Object.values(queues())) {
      const redrive = queue.Properties?.RedrivePolicy as { deadLetterTargetArn?: unknown } | undefined;
      const id = getAttId(redrive?.deadLetterTargetArn);
      if (id) ids.add(id);
    }
    for (const rule of Object.values(template.findResources('AWS::Events::Rule'))) {
      for (const target of rule.Properties.Targets as { DeadLetterConfig?: { Arn: unknown } }[]) {
        const id = getAttId(target.DeadLetterConfig?.Arn);
        if (id) ids.add(id);
      }
    }
    return ids;
  };

  it('gives every main queue (not a dead-letter queue) a redrive policy to a DLQ in this stack', () => {
    const dlqs = deadLetterIds();
    const main = Object.entries(queues()).filter(([id]) => !dlqs.has(id));
    expect(main.map(([id]) => id)).toContain(logicalId(stack.messageIngestQueue));
    for (const [id, queue] of main) {
      const redrive = queue.Properties?.RedrivePolicy ?? {};
      expect(redrive.maxReceiveCount, id).toBeGreaterThanOrEqual(1);
      expect(queues()[getAttId(redrive.deadLetterTargetArn) ?? ''], `${id} has no DLQ here`).toBeDefined();
    }
  });

  it('encrypts every queue (platform KMS key or SQS-managed) and keeps messages for 14 days', () => {
    const keyId = logicalId(stack.key);
    const all = Object.entries(queues());
    expect(all.length).toBeGreaterThanOrEqual(4);
    for (const [id, queue] of all) {
      const props = queue.Properties ?? {};
      const kms = getAttId(props.KmsMasterKeyId) === keyId;
      expect(kms || props.SqsManagedSseEnabled === true, `${id} is unencrypted`).toBe(true);
      expect(props.MessageRetentionPeriod, id).toBe(FOURTEEN_DAYS);
    }
  });

  it('denies non-TLS access on every queue', () => {
    const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy'));
    for (const id of Object.keys(queues())) {
      const denied = policies.some(
        (policy) =>
          JSON.stringify(policy.Properties.Queues) === JSON.stringify([{ Ref: id }]) &&
          policy.Properties.PolicyDocument.Statement.some(
            (s: { Effect: string; Condition?: unknown }) =>
              s.Effect === 'Deny' &&
              JSON.stringify(s.Condition) === JSON.stringify({ Bool: { 'aws:SecureTransport': 'false' } }),
          ),
      );
      expect(denied, `${id} accepts plain HTTP`).toBe(true);
    }
  });
});

describe('DataStack: EventBridge', () => {
  it('has a custom bus named portico', () => {
    template.resourceCountIs('AWS::Events::EventBus', 1);
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'portico' });
  });

  it('routes biz.* events from that bus to the ingest queue, with retries and a dead-letter queue', () => {
    template.resourceCountIs('AWS::Events::Rule', 2);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: logicalId(stack.bus) },
      EventPattern: { source: [{ prefix: 'biz.' }] },
      State: 'ENABLED',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [logicalId(stack.messageIngestQueue), 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } },
          RetryPolicy: Match.objectLike({ MaximumRetryAttempts: Match.anyValue() }),
        }),
      ],
    });
  });

  it("routes the gateway's breaker changes, health verdicts and deprecated calls to the upstream alert queue", () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: logicalId(stack.bus) },
      EventPattern: {
        source: ['portico.gateway'],
        'detail-type': [
          'Circuit Breaker State Changed',
          'Upstream Server Health Changed',
          'Deprecated API Called',
        ],
      },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [logicalId(stack.upstreamAlertQueue), 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } },
        }),
      ],
    });
  });

  it('never targets a Lambda function directly: every rule target is an SQS queue', () => {
    template.resourceCountIs('AWS::Lambda::Function', 0);
    for (const rule of Object.values(template.findResources('AWS::Events::Rule'))) {
      for (const target of rule.Properties.Targets as {
        Arn: unknown;
        DeadLetterConfig?: { Arn: unknown };
      }[]) {
        expect(queues()[getAttId(target.Arn) ?? '']).toBeDefined();
        expect(queues()[getAttId(target.DeadLetterConfig?.Arn) ?? '']).toBeDefined();
      }
    }
  });
});

describe('DataStack: analytics stream and signing-keys secret', () => {
  it('has one on-demand, encrypted Kinesis stream', () => {
    template.resourceCountIs('AWS::Kinesis::Stream', 1);
    template.hasResourceProperties('AWS::Kinesis::Stream', {
      StreamModeDetails: { StreamMode: 'ON_DEMAND' },
      StreamEncryption: { EncryptionType: 'KMS', KeyId: Match.anyValue() },
    });
  });

  it('encrypts both signing-key secrets (access tokens, identity tokens) with the platform key and retains them', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', 2);
    for (const secret of [stack.signingKeys, stack.identitySigningKeys])
      expect(template.toJSON().Resources[logicalId(secret)]).toMatchObject({
        Properties: { KmsKeyId: { 'Fn::GetAtt': [logicalId(stack.key), 'Arn'] } },
        DeletionPolicy: 'Retain',
      });
  });
});
