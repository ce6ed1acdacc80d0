import { Aws, Duration, RemovalPolicy, Size, Stack } from 'aws-cdk-lib';
import { CfnWorkGroup } from 'aws-cdk-lib/aws-athena';
import { CfnDatabase, CfnTable } from 'aws-cdk-lib/aws-glue';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Compression, DeliveryStream, S3Bucket, StreamEncryption } from 'aws-cdk-lib/aws-kinesisfirehose';
import type { Key } from 'aws-cdk-lib/aws-kms';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { REQUEST_LOG_COLUMNS, REQUEST_LOG_PREFIX } from '../../shared/analytics/request-log-layout.ts';
import { acknowledge, attributeRef, cfn } from './nag.ts';

export interface RequestLogStoreProps {
  key: Key;
  /** Days a request log is kept (S3 lifecycle). */
  retentionDays: number;
}

const ATHENA_RESULTS = 'athena-results/';

/**
 * Where request logs go at 500M calls a day: the gateway puts them to a Firehose delivery stream, which
 * writes gzipped JSON Lines to S3 under `requests/YYYY/MM/DD/HH/` (UTC); a Glue table with partition
 * projection on that hour makes them queryable by Athena without crawlers or partition upkeep, and an
 * Athena workgroup bounds what a query may scan. Objects expire after the retention.
 */
export class RequestLogStore extends Construct {
  readonly bucket: Bucket;
  readonly bucketName: string;
  readonly deliveryStream: DeliveryStream;
  readonly databaseName: string;
  readonly tableName = 'requests';
  readonly workGroup: CfnWorkGroup;
  readonly retentionDays: number;

  private readonly key: Key;

  constructor(scope: Construct, id: string, props: RequestLogStoreProps) {
    super(scope, id);
    const { key } = props;
    this.key = key;
    this.retentionDays = props.retentionDays;
    // Named, so a grant in another stack names its objects without a cross-stack reference.
    this.bucketName = `${Stack.of(this).stackName.toLowerCase()}-request-logs-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
    this.bucket = new Bucket(this, 'RequestLogBucket', {
      bucketName: this.bucketName,
      encryption: BucketEncryption.KMS,
      encryptionKey: key,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      lifecycleRules: [
        { prefix: REQUEST_LOG_PREFIX, expiration: Duration.days(props.retentionDays) },
        { prefix: 'request-errors/', expiration: Duration.days(props.retentionDays) },
        { prefix: ATHENA_RESULTS, expiration: Duration.days(1) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      cfn(this.bucket),
      'S1',
      'Written by Firehose and read by Athena and the log search only; CloudTrail data events are the audit trail, not access logs to yet another bucket',
    );

    this.deliveryStream = new DeliveryStream(this, 'RequestLogDelivery', {
      encryption: StreamEncryption.customerManagedKey(key),
      destination: new S3Bucket(this.bucket, {
        dataOutputPrefix: REQUEST_LOG_PREFIX,
        errorOutputPrefix: 'request-errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd/HH}/',
        bufferingInterval: Duration.seconds(60),
        bufferingSize: Size.mebibytes(64),
        compression: Compression.GZIP,
        encryptionKey: key,
      }),
    });

    // The construct adds a mapping of Firehose's address ranges for destinations inside a VPC; an S3
    // destination never references it.
    Stack.of(this).node.tryRemoveChild('@aws-cdk--aws-kinesisfirehose.CidrBlocks');

    // CDK's grants to the delivery stream's roles: its encryption, and writing log objects (retries
    // included) in the request-log bucket, both with the platform key only.
    const kmsFindings = ['Action::kms:GenerateDataKey*', 'Action::kms:ReEncrypt*'];
    const findings = {
      'Service Role': kmsFindings,
      'S3 Destination Role': [
        ...kmsFindings,
        ...['Abort*', 'DeleteObject*', 'GetBucket*', 'GetObject*', 'List*'].map((a) => `Action::s3:${a}`),
        `Resource::${attributeRef(this.bucket, 'Arn')}/*`,
      ],
    };
    for (const [role, ids] of Object.entries(findings)) {
      const policy = cfn(this.deliveryStream.node.findChild(role).node.findChild('DefaultPolicy'));
      for (const id of ids)
        acknowledge(
          policy,
          `IAM5[${id}]`,
          'CDK grant for the request-log delivery stream, on its bucket and the platform key only',
        );
    }

    this.databaseName = `portico_${Stack.of(this)
      .stackName.toLowerCase()
      .replace(/[^a-z0-9_]/g, '_')}`;
    const database = new CfnDatabase(this, 'RequestLogDatabase', {
      catalogId: Aws.ACCOUNT_ID,
      databaseInput: { name: this.databaseName, description: 'Portico request logs' },
    });
    const location = `s3://${this.bucket.bucketName}/${REQUEST_LOG_PREFIX}`;
    const table = new CfnTable(this, 'RequestLogTable', {
      catalogId: Aws.ACCOUNT_ID,
      databaseName: this.databaseName,
      tableInput: {
        name: this.tableName,
        tableType: 'EXTERNAL_TABLE',
        parameters: {
          classification: 'json',
          'projection.enabled': 'true',
          'projection.hour.type': 'date',
          'projection.hour.format': 'yyyy/MM/dd/HH',
          'projection.hour.range': '2026/01/01/00,NOW',
          'projection.hour.interval': '1',
          'projection.hour.interval.unit': 'HOURS',
          'storage.location.template': `${location}\${hour}/`,
        },
        partitionKeys: [{ name: 'hour', type: 'string' }],
        storageDescriptor: {
          location,
          inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          serdeInfo: {
            serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
            parameters: { 'ignore.malformed.json': 'true' },
          },
          columns: REQUEST_LOG_COLUMNS.map(([name, type]) => ({ name, type })),
        },
      },
    });
    table.addResourceDependency(database);

    this.workGroup = new CfnWorkGroup(this, 'RequestLogQueries', {
      name: `${Stack.of(this).stackName}-request-logs`,
      description: 'Portico request-log search',
      state: 'ENABLED',
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        // One search reads the hours it names; this bounds a mistaken one (about $0.05 at $5/TB).
        bytesScannedCutoffPerQuery: 10 * 1024 ** 3,
        resultConfiguration: {
          outputLocation: `s3://${this.bucket.bucketName}/${ATHENA_RESULTS}`,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: key.keyArn },
        },
      },
    });
  }

  /**
   * What a search needs: an Athena query in this workgroup over this table, which reads the log objects
   * and writes its results with the caller's rights (S3 through KMS), or a read of the objects
   * themselves (the object scan).
   */
  grantSearch(grantee: LambdaFunction): void {
    const stack = Stack.of(this);
    const add = (actions: string[], resources: string[], conditions?: Record<string, unknown>) =>
      grantee.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions, resources, conditions }));
    add(
      [
        'athena:StartQueryExecution',
        'athena:GetQueryExecution',
        'athena:GetQueryResults',
        'athena:StopQueryExecution',
      ],
      [stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: this.workGroup.ref })],
    );
    add(
      ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions'],
      [
        stack.formatArn({ service: 'glue', resource: 'catalog' }),
        stack.formatArn({ service: 'glue', resource: 'database', resourceName: this.databaseName }),
        stack.formatArn({
          service: 'glue',
          resource: 'table',
          resourceName: `${this.databaseName}/${this.tableName}`,
        }),
      ],
    );
    const bucketArn = `arn:${Aws.PARTITION}:s3:::${this.bucketName}`;
    add(['s3:ListBucket', 's3:GetBucketLocation'], [bucketArn]);
    add(['s3:GetObject'], [`${bucketArn}/${REQUEST_LOG_PREFIX}*`]);
    add(['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'], [`${bucketArn}/${ATHENA_RESULTS}*`]);
    const policy = cfn(grantee.role!.node.findChild('DefaultPolicy'));
    const stackName = Stack.of(this).stackName.toLowerCase();
    for (const prefix of [REQUEST_LOG_PREFIX, ATHENA_RESULTS])
      acknowledge(
        policy,
        `IAM5[Resource::arn:<AWS::Partition>:s3:::${stackName}-request-logs-<AWS::AccountId>-<AWS::Region>/${prefix}*]`,
        'A search reads the log objects, and writes its results, under their own prefixes of the request-log bucket',
      );
    add(['kms:Decrypt', 'kms:GenerateDataKey'], [this.key.keyArn], {
      StringEquals: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` },
    });
  }
}
