import path from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Architecture, type CfnFunction, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, type NodejsFunctionProps, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { LOCAL_ENTRY_METADATA, type LocalEntry } from '../local-metadata.ts';
import { REPO_ROOT } from '../repo-root.ts';
import { BUNDLE, externalModules, shipBesideCommands } from './bundling.ts';
import { acknowledge, cfn } from './nag.ts';
import { shutdownExtension } from './shutdown-extension.ts';

/** Where every function's Powertools metrics go (alarms name it too). */
export const METRICS_NAMESPACE = 'Portico';

/** The managed policy CDK attaches to every function role, as cdk-nag names it. */
const BASIC_EXECUTION_ROLE = 'arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';

export interface PorticoFunctionProps
  extends Omit<NodejsFunctionProps, 'entry' | 'runtime' | 'architecture' | 'handler'> {
  /** Repository-relative path of the handler module. */
  entry: string;
  /** Name used for the POWERTOOLS_SERVICE_NAME and the log group. */
  service: string;
  /**
   * The function buffers what it sends (analytics records) and flushes on SIGTERM: it gets the shutdown
   * extension layer, without which Lambda sends no SIGTERM.
   */
  flushesOnShutdown?: boolean;
  /** Repository-relative files copied beside the bundle (read at run time, not bundled). */
  besideBundle?: string[];
}

/**
 * Every Portico Lambda: Node.js 22 on arm64, an ESM bundle (minified, with source maps), an explicit
 * log group with retention, X-Ray tracing, and the metadata the local runtime serves it from.
 */
export class PorticoFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: PorticoFunctionProps) {
    const { entry, service, environment, bundling, flushesOnShutdown, layers, besideBundle, ...rest } = props;
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    super(scope, id, {
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: 512,
      timeout: Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      logGroup,
      entry: path.join(REPO_ROOT, entry),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      bundling: {
        format: OutputFormat.ESM,
        target: BUNDLE.target,
        minify: true,
        sourceMap: true,
        mainFields: [...BUNDLE.mainFields],
        banner: BUNDLE.banner,
        externalModules: externalModules(entry),
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (inputDir: string, outputDir: string) => [
            ...shipBesideCommands(inputDir, outputDir, REPO_ROOT),
            ...(besideBundle ?? []).map(
              (file) => `cp "${inputDir}/${file}" "${outputDir}/${path.basename(file)}"`,
            ),
          ],
        },
        ...bundling,
      },
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: service,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        ...environment,
      },
      layers: [...(layers ?? []), ...(flushesOnShutdown ? [shutdownExtension(scope)] : [])],
      ...rest,
    });
    const local: LocalEntry = { entry, handler: 'handler' };
    (this.node.defaultChild as CfnFunction).addMetadata(LOCAL_ENTRY_METADATA, local);

    // cdk-nag findings every Portico function has by design (see infra/nag.test.ts).
    acknowledge(
      cfn(this),
      'L1',
      'nodejs22.x (arm64) is the runtime the project decided on (DESIGN.md); a newer one is a deliberate change',
    );
    const role = this.role!;
    acknowledge(
      cfn(role),
      `IAM4[Policy::${BASIC_EXECUTION_ROLE}]`,
      'AWSLambdaBasicExecutionRole: CloudWatch Logs only (create log streams, put log events)',
    );
    if ((rest.tracing ?? Tracing.ACTIVE) !== Tracing.DISABLED)
      acknowledge(
        cfn(role.node.findChild('DefaultPolicy')),
        'IAM5[Resource::*]',
        'X-Ray PutTraceSegments/PutTelemetryRecords take no resource; nothing else may use "*" ' +
          '(least-privilege.test.ts)',
      );
  }
}
