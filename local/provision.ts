import { randomBytes } from 'node:crypto';
import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateEventBusCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateDeliveryStreamCommand } from '@aws-sdk/client-firehose';
import { CreateStreamCommand, DescribeStreamSummaryCommand } from '@aws-sdk/client-kinesis';
import { CreateAliasCommand, CreateKeyCommand, DescribeKeyCommand } from '@aws-sdk/client-kms';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { CreateSecretCommand, DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';
import type { LocalClients } from './aws.ts';
import type { LocalPlan } from './plan.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION, type Physical, type ResourceRef, resolveValue } from './template.ts';

/** Resolved CloudFormation properties: untyped JSON by nature. */
// biome-ignore lint/suspicious/noExplicitAny: template properties are free-form JSON checked by CloudFormation, not by us
type TemplateProps = Record<string, any>;

const arn = (service: string, resource: string) =>
  `arn:aws:${service}:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${resource}`;

const alreadyExists = (error: unknown) =>
  error instanceof ResourceInUseException ||
  [
    'ResourceInUseException',
    'ResourceAlreadyExistsException',
    'ResourceExistsException',
    'QueueAlreadyExists',
    'QueueNameExists',
    'BucketAlreadyOwnedByYou',
    'BucketAlreadyExists',
  ].includes((error as Error).name);

/**
 * Creates the template's stateful resources in the emulator and answers what Ref / Fn::GetAtt mean
 * locally. Creation is idempotent, so restarting against a persistent endpoint (LocalStack) reuses
 * what is there. Resources are created on first reference, which orders them by their dependencies.
 */
export class LocalResources {
  private readonly known = new Map<string, Promise<Physical>>();

  constructor(
    private readonly plan: LocalPlan,
    private readonly aws: LocalClients,
    private readonly baseUrl: string,
    /** Where each WebSocket API is served (`ws://…`), by `<stack>/<logicalId>`. */
    private readonly webSocketEndpoints: ReadonlyMap<string, string> = new Map(),
    private readonly prefix = 'portico-',
  ) {}

  async provisionAll(): Promise<void> {
    for (const ref of this.plan.provisioned) await this.physical(ref.logicalId, ref.stackName);
  }

  resolve(value: unknown, stackName: string): Promise<unknown> {
    return resolveValue(value, stackName, this.plan.set, (id, stack) => this.physical(id, stack));
  }

  physical = (logicalId: string, stackName: string): Promise<Physical> => {
    const key = `${stackName}/${logicalId}`;
    let found = this.known.get(key);
    if (!found) {
      found = this.create(this.plan.set.get(stackName, logicalId));
      this.known.set(key, found);
    }
    return found;
  };

  /**
   * Local names drop the hash CDK appends to logical ids (IdentityTable8C1F2A3B → portico-IdentityTable)
   * unless two resources would then share a name.
   */
  private name(ref: ResourceRef, explicit: unknown): string {
    if (typeof explicit === 'string') return explicit;
    const readable = readableId(ref.logicalId);
    const clash = this.plan.set.resources.some(
      (other) =>
        other !== ref &&
        other.resource.Type === ref.resource.Type &&
        readableId(other.logicalId) === readable,
    );
    return `${this.prefix}${clash ? ref.logicalId : readable}`;
  }

  private async create(ref: ResourceRef): Promise<Physical> {
    const p = (await this.resolve(ref.resource.Properties ?? {}, ref.stackName)) as TemplateProps;
    switch (ref.resource.Type) {
      case 'AWS::KMS::Key':
        return this.key(ref, p);
      case 'AWS::SecretsManager::Secret':
        return this.secret(ref, p);
      case 'AWS::DynamoDB::Table':
        return this.table(ref, p);
      case 'AWS::SQS::Queue':
        return this.queue(ref, p);
      case 'AWS::Kinesis::Stream':
        return this.stream(ref, p);
      case 'AWS::S3::Bucket':
        return this.bucket(ref, p);
      case 'AWS::KinesisFirehose::DeliveryStream':
        return this.deliveryStream(ref, p);
      case 'AWS::Events::EventBus': {
        const name = this.name(ref, p.Name);
        await this.aws.events.send(new CreateEventBusCommand({ Name: name })).catch(ignoreExisting);
        return { ref: name, attributes: { Name: name, Arn: arn('events', `event-bus/${name}`) } };
      }
      case 'AWS::Events::Rule':
        return this.rule(ref, p);
      case 'AWS::Lambda::Function': {
        const name = this.name(ref, p.FunctionName);
        return { ref: name, attributes: { Arn: arn('lambda', `function:${name}`) } };
      }
      case 'AWS::ApiGatewayV2::Api': {
        const webSocket = this.webSocketEndpoints.get(`${ref.stackName}/${ref.logicalId}`);
        if (webSocket)
          return { ref: ref.logicalId, attributes: { ApiEndpoint: webSocket, ApiId: ref.logicalId } };
        return { ref: 'local', attributes: { ApiEndpoint: this.baseUrl, ApiId: 'local' } };
      }
      case 'AWS::IAM::Role':
        return {
          ref: ref.logicalId,
          attributes: { Arn: `arn:aws:iam::${LOCAL_ACCOUNT}:role/${ref.logicalId}` },
        };
      default:
        return { ref: ref.logicalId, attributes: { Arn: arn('local', ref.logicalId) } };
    }
  }

  private async key(ref: ResourceRef, p: TemplateProps): Promise<Physical> {
    const alias = `alias/${this.name(ref, undefined)}`;
    let metadata = await this.aws.kms
      .send(new DescribeKeyCommand({ KeyId: alias }))
      .then((r) => r.KeyMetadata)
      .catch(() => undefined);
    if (!metadata) {
      metadata = (
        await this.aws.kms.send(
          new CreateKeyCommand({ KeySpec: p.KeySpec, KeyUsage: p.KeyUsage, Description: p.Description }),
        )
      ).KeyMetadata!;
      await this.aws.kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: metadata.KeyId }));
    }
    return { ref: metadata.KeyId!, attributes: { Arn: metadata.Arn!, KeyId: metadata.KeyId! } };
  }

  private async secret(ref: ResourceRef, p: TemplateProps): Promise<Physical> {
    const name = this.name(ref, p.Name);
    const value = p.SecretString ?? randomBytes(24).toString('base64url');
    const created = await this.aws.secrets
      .send(new CreateSecretCommand({ Name: name, SecretString: value, Description: p.Description }))
      .catch(async (error) => {
        ignoreExisting(error);
        return this.aws.secrets.send(new DescribeSecretCommand({ SecretId: name }));
      });
    return { ref: created.ARN!, attributes: { Id: created.ARN!, Name: name } };
  }

  private async table(ref: ResourceRef, p: TemplateProps): Promise<Physical> {
    const name = this.name(ref, p.TableName);
    const gsis = (p.GlobalSecondaryIndexes as GlobalSecondaryIndex[] | undefined)?.map((g) => ({
      IndexName: g.IndexName,
      KeySchema: g.KeySchema,
      Projection: g.Projection,
    }));
    await this.aws.dynamo
      .send(
        new CreateTableCommand({
          TableName: name,
          KeySchema: p.KeySchema as KeySchemaElement[],
          AttributeDefinitions: p.AttributeDefinitions as AttributeDefinition[],
          BillingMode: 'PAY_PER_REQUEST',
          ...(gsis ? { GlobalSecondaryIndexes: gsis } : {}),
          ...(p.StreamSpecification
            ? { StreamSpecification: { StreamEnabled: true, ...p.StreamSpecification } }
            : {}),
        }),
      )
      .catch(ignoreExisting);
    if (p.TimeToLiveSpecification?.Enabled) {
      // The emulator keeps expired items: code that relies on TTL also checks expiry when it reads.
      await this.aws.dynamo
        .send(
          new UpdateTimeToLiveCommand({
            TableName: name,
            TimeToLiveSpecification: p.TimeToLiveSpecification,
          }),
        )
        .catch(() => undefined);
    }
    const { Table } = await this.aws.dynamo.send(new DescribeTableCommand({ TableName: name }));
    // A table from an earlier run lacks the indexes the template gained since: add them.
    const present = new Set((Table!.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName));
    for (const gsi of gsis ?? []) {
      if (present.has(gsi.IndexName)) continue;
      await this.aws.dynamo.send(
        new UpdateTableCommand({
          TableName: name,
          AttributeDefinitions: p.AttributeDefinitions as AttributeDefinition[],
          GlobalSecondaryIndexUpdates: [{ Create: gsi }],
        }),
      );
    }
    return {
      ref: name,
      attributes: {
        Arn: Table!.TableArn!,
        ...(Table!.LatestStreamArn ? { StreamArn: Table!.LatestStreamArn } : {}),
      },
    };
  }

  private async queue(ref: ResourceRef, p: TemplateProps): Promise<Physical> {
    const name = this.name(
      ref,
      p.QueueName ?? (p.FifoQueue ? `${this.prefix}${ref.logicalId}.fifo` : undefined),
    );
    const attributes: Record<string, string> = {};
    for (const attribute of [
      'VisibilityTimeout',
      'MessageRetentionPeriod',
      'DelaySeconds',
      'ReceiveMessageWaitTimeSeconds',
      'FifoQueue',
      'ContentBasedDeduplication',
    ]) {
      if (p[attribute] !== undefined) attributes[attribute] = String(p[attribute]);
    }
    if (p.RedrivePolicy) attributes.RedrivePolicy = JSON.stringify(p.RedrivePolicy);
    const QueueUrl = await this.aws.sqs
      .send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))
      .then((r) => r.QueueUrl!)
      .catch(async (error) => {
        // It exists with other attributes (the template changed since the last run): bring it in line.
        ignoreExisting(error);
        const { QueueUrl: existing } = await this.aws.sqs.send(new GetQueueUrlCommand({ QueueName: name }));
        const { FifoQueue: _fixedForLife, ...changeable } = attributes;
        await this.aws.sqs.send(
          new SetQueueAttributesCommand({ QueueUrl: existing, Attributes: changeable }),
        );
        return existing!;
      });
    const { Attributes } = await this.aws.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
    );
    return {
      ref: QueueUrl!,
      attributes: { Arn: Attributes!.QueueArn!, QueueName: name, QueueUrl: QueueUrl! },
    };
  }

  private async stream(ref: ResourceRef, p: TemplateProps): Promise<Physical> {
    const name = this.name(ref, p.Name);
    // On-demand streams get one shard locally: ordering per shard is all the pollers need.
    await this.aws.kinesis
      .send(new CreateStreamCommand({ StreamName: name, ShardCount: p.ShardCount ?? 1 }))
      .catch(ignoreExisting);
    for (let i = 0; i < 50; i++) {
      const { StreamDescriptionSummary } = await this.aws.kinesis.send(
        new DescribeStreamSummaryCommand({ StreamName: name }),
      );
      if (StreamDescriptionSummary?.StreamStatus === 'ACTIVE') {
        return { ref: name, attributes: { Arn: StreamDescriptionSummary.StreamARN! } };
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`stream ${name} did not become active`);
  }

  private async bucket(ref: ResourceRef, p: TemplateProps): Promise<Physical> {
    // Bucket names are lower case.
    const name = this.name(ref, p.BucketName).toLowerCase();
    await this.aws.s3.send(new CreateBucketCommand({ Bucket: name })).catch(ignoreExisting);
    return {
      ref: name,
      attributes: { Arn: `arn:aws:s3:::${name}`, DomainName: `${name}.s3.amazonaws.com` },
    };
  }

  private async deliveryStream(ref: ResourceRef, p: TemplateProps): Promise<Physical> {
    const name = this.name(ref, p.DeliveryStreamName);
    const destination = p.ExtendedS3DestinationConfiguration as
      | { BucketARN: string; RoleARN: string; Prefix?: string; CompressionFormat?: string }
      | undefined;
    if (!destination) throw new Error(`${ref.logicalId}: only S3 destinations are served locally`);
    await this.aws.firehose
      .send(
        new CreateDeliveryStreamCommand({
          DeliveryStreamName: name,
          DeliveryStreamType: 'DirectPut',
          ExtendedS3DestinationConfiguration: {
            BucketARN: destination.BucketARN,
            RoleARN: destination.RoleARN,
            Prefix: destination.Prefix,
            // Uncompressed locally: the log search reads both.
            CompressionFormat: 'UNCOMPRESSED',
          },
        }),
      )
      .catch(ignoreExisting);
    return { ref: name, attributes: { Arn: arn('firehose', `deliverystream/${name}`) } };
  }

  private async rule(ref: ResourceRef, p: TemplateProps): Promise<Physical> {
    const name = this.name(ref, p.Name);
    if (p.ScheduleExpression) {
      // Scheduled rules are fired by the local scheduler: the emulator cannot invoke functions.
      return { ref: name, attributes: { Arn: arn('events', `rule/${name}`) } };
    }
    const bus = p.EventBusName ?? 'default';
    await this.aws.events.send(
      new PutRuleCommand({
        Name: name,
        EventBusName: bus,
        EventPattern: JSON.stringify(p.EventPattern),
        State: p.State ?? 'ENABLED',
        Description: p.Description,
      }),
    );
    await this.aws.events.send(
      new PutTargetsCommand({
        Rule: name,
        EventBusName: bus,
        Targets: (p.Targets as { Id: string; Arn: string }[]).map((t) => ({ Id: t.Id, Arn: t.Arn })),
      }),
    );
    return { ref: name, attributes: { Arn: arn('events', `rule/${bus}/${name}`) } };
  }
}

export const readableId = (logicalId: string): string => logicalId.replace(/(?<=.)[0-9A-F]{8}$/, '');

function ignoreExisting(error: unknown): never | undefined {
  if (alreadyExists(error)) return undefined;
  throw error;
}
