import { Duration } from 'aws-cdk-lib';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { TEST_CASE_ROUTES } from '../../functions/testcases/routes.ts';
import { ENV } from '../../shared/config/names.ts';
import { metricAlarm } from '../constructs/alarms.ts';
import { grantItems, grantSecret } from '../constructs/grants.ts';
import { acknowledge, attributeRef, cfn, schedulerRolePolicy } from '../constructs/nag.ts';
import { PorticoFunction } from '../constructs/portico-function.ts';
import { Capability, type CapabilityProps } from './capability.ts';

export interface TestCasesProps extends CapabilityProps {
  /** Where a scheduled round that could not start is kept. */
  readonly scheduleFailures: IQueue;
}

/** Why the routes need no API Gateway authorizer (cdk-nag APIG4). */
const CONSOLE_ROLES =
  'The function validates the bearer token itself and requires the console role each route names (functions/testcases/routes.ts)';

/**
 * Scheduled test cases of the APIs (seed 002): the console's routes (cases, run now, history) and a
 * round every minute that runs the due ones through the gateway as the platform's tester app. A failed
 * run is an event on the bus (`portico.testcases`, `test-case.failed`) and a metric with an alarm.
 */
export class TestCases extends Capability {
  readonly api: PorticoFunction;
  readonly runner: PorticoFunction;
  readonly loadGenerator: PorticoFunction;

  constructor(scope: Construct, id: string, props: TestCasesProps) {
    super(scope, id, props);
    const { data } = props;
    const environment = {
      [ENV.identityTable]: data.identityTable.tableName,
      [ENV.registryTable]: data.registryTable.tableName,
      [ENV.signingKeysSecret]: data.signingKeys.secretArn,
      [ENV.issuer]: props.httpApi.apiEndpoint,
      [ENV.eventBusName]: data.bus.eventBusName,
    };
    this.api = new PorticoFunction(this, 'TestCasesFunction', {
      entry: 'functions/testcases/api.ts',
      service: 'test-cases',
      // A run now waits for the case's answer (at most 30 s) like a scheduled one.
      timeout: Duration.seconds(40),
      environment,
    });
    this.runner = new PorticoFunction(this, 'TestCaseRunnerFunction', {
      entry: 'functions/testcases/run-due.ts',
      service: 'test-cases-schedule',
      timeout: Duration.seconds(55),
      environment,
    });
    this.loadGenerator = new PorticoFunction(this, 'LoadGeneratorFunction', {
      entry: 'functions/testcases/generate-load.ts',
      service: 'test-cases-load',
      // A load run lasts at most 60 s, and its last requests may wait 10 s for their answers.
      timeout: Duration.seconds(120),
      environment,
    });
    // One attempt: a retried invocation would find its run started and do nothing anyway.
    this.loadGenerator.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: Duration.minutes(2) });
    this.api.addEnvironment(ENV.loadGeneratorFunction, this.loadGenerator.functionName);
    this.loadGenerator.grantInvoke(this.api);
    acknowledge(
      cfn(this.api.role!.node.findChild('DefaultPolicy')),
      `IAM5[Resource::${attributeRef(this.loadGenerator, 'Arn')}:*]`,
      'The console function may invoke the load generator only, any version of it (CDK grantInvoke)',
    );
    for (const fn of [this.api, this.runner, this.loadGenerator]) {
      // Cases and their history beside the API (TESTCASE#, the due list TESTCASES, TESTRUN#), load runs
      // (LOADRUN#) and each API's load slot (LOADSLOT#).
      grantItems(fn, data.registryTable, {
        GetItem: ['API#*', 'TESTCASE#*', 'LOADRUN#*', 'LOADSLOT#*'],
        Query: ['TESTCASE#*', 'TESTCASES', 'TESTRUN#*', 'LOADRUN#*'],
        PutItem: ['TESTCASE#*', 'TESTCASES', 'TESTRUN#*', 'LOADRUN#*', 'LOADSLOT#*'],
        UpdateItem: ['LOADRUN#*'],
        DeleteItem: ['TESTCASE#*', 'TESTCASES', 'LOADSLOT#*'],
      });
      // The records of the tester app's tokens (APP#), the console's token checks, and audit entries.
      grantItems(fn, data.identityTable, {
        GetItem: ['JWKS', 'APP#*'],
        Query: ['REVOKED', 'APP#*'],
        PutItem: ['APP#*', 'AUDIT'],
      });
      grantSecret(fn, data.signingKeys, data.key, 'read');
      data.bus.grantPutEventsTo(fn);
    }
    this.addRoutes(
      Object.keys(TEST_CASE_ROUTES).map((key) => [key, this.api] as const),
      CONSOLE_ROLES,
    );

    const schedule = new Schedule(this, 'TestCaseSchedule', {
      description: 'Runs the test cases that are due',
      schedule: ScheduleExpression.rate(Duration.minutes(1)),
      target: new LambdaInvoke(this.runner, {
        deadLetterQueue: props.scheduleFailures,
        retryAttempts: 2,
        maxEventAge: Duration.minutes(1),
      }),
    });
    acknowledge(
      schedulerRolePolicy(schedule),
      `IAM5[Resource::${attributeRef(this.runner, 'Arn')}:*]`,
      'The scheduler may invoke this function only, any version of it (CDK LambdaInvoke grant)',
    );
    for (const service of ['test-cases', 'test-cases-schedule']) {
      metricAlarm(
        this,
        service === 'test-cases' ? 'TestCaseFailuresAlarm' : 'ScheduledTestCaseFailuresAlarm',
        { service, metricName: 'TestCaseFailures', statistic: 'Sum' },
        data.alarmTopic,
        'A test case of an API failed its expectation (see its history in the console)',
      );
    }
  }
}
