import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import {
  HEALTH_ROUTES,
  PARTNER_CONSOLE_ROUTES,
  PARTNER_PUSH_ROUTE,
} from '../../functions/partners/routes.ts';
import { ENV } from '../../shared/config/names.ts';
import { metricAlarm } from '../constructs/alarms.ts';
import { grantItems, grantKeyUse, grantTokenValidation } from '../constructs/grants.ts';
import { acknowledge, attributeRef, schedulerRolePolicy } from '../constructs/nag.ts';
import { PorticoFunction } from '../constructs/portico-function.ts';
import { Capability, type CapabilityProps } from './capability.ts';

export interface PartnerHealthProps extends CapabilityProps {
  scheduleFailures: IQueue;
}

const CONSOLE_AUTHORIZATION =
  'The partners console function verifies the bearer token and the least role functions/partners/routes.ts names for every route';
const PUSH_AUTHORIZATION =
  "The push function verifies the partner's HMAC-SHA256 signature, timestamp and single-use nonce before reading anything else";
const HEALTH_AUTHORIZATION = 'The health function verifies the bearer token and its health:read scope';

const RECORD_SIGNING = { purpose: 'partner-record-signing' };

/**
 * Partner health (seed 003): partners and notices in the console, partner pushes, polling of partner
 * notice endpoints, the automatic health round, and the health query. Alarms: a partner whose polling
 * keeps failing, polling failing for every partner, the panic guard, and a forged notice record.
 */
export class PartnerHealth extends Capability {
  readonly console: PorticoFunction;
  readonly push: PorticoFunction;
  readonly health: PorticoFunction;
  readonly schedulePolls: PorticoFunction;
  readonly poll: PorticoFunction;
  readonly evaluate: PorticoFunction;

  constructor(scope: Construct, id: string, props: PartnerHealthProps) {
    super(scope, id, props);
    const { data } = props;
    const partnersEnv = {
      [ENV.partnersTable]: data.partnersTable.tableName,
      [ENV.secretsKeyId]: data.key.keyArn,
    };
    const tokenEnv = {
      [ENV.identityTable]: data.identityTable.tableName,
      [ENV.issuer]: props.httpApi.apiEndpoint,
    };
    // Notice records are signed with a data key of the platform key, kept in the table (RECORD_SIGNING_KEY):
    // whoever reads or writes notices decrypts it, and the first one creates it.
    const signsRecords = (fn: PorticoFunction) => {
      grantKeyUse(fn, data.key, 'kms:Decrypt', RECORD_SIGNING);
      grantKeyUse(fn, data.key, 'kms:GenerateDataKey', RECORD_SIGNING);
    };

    this.console = new PorticoFunction(this, 'PartnersConsoleFunction', {
      entry: 'functions/partners/console.ts',
      service: 'partners-console',
      environment: { ...partnersEnv, ...tokenEnv, [ENV.egressAllow]: this.egressAllow },
    });
    grantTokenValidation(this.console, data.identityTable);
    grantItems(this.console, data.identityTable, { PutItem: ['AUDIT'] });
    // Definitions (PARTNERS), a partner's partition (notices, health; deleted with it), polling records,
    // the history of transitions.
    grantItems(this.console, data.partnersTable, {
      GetItem: ['PARTNERS', 'PARTNER#*', 'POLLS', 'RECORD_SIGNING_KEY'],
      Query: ['PARTNERS', 'PARTNER#*', 'TRANSITIONS#*'],
      PutItem: ['PARTNERS', 'PARTNER#*', 'RECORD_SIGNING_KEY'],
      DeleteItem: ['PARTNERS', 'PARTNER#*'],
    });
    grantKeyUse(this.console, data.key, 'kms:Encrypt', { purpose: 'partner-shared-secret' });
    grantKeyUse(this.console, data.key, 'kms:Encrypt', { purpose: 'partner-aes-key' });
    signsRecords(this.console);
    this.addRoutes(
      Object.keys(PARTNER_CONSOLE_ROUTES).map((key) => [key, this.console] as const),
      CONSOLE_AUTHORIZATION,
    );

    this.push = new PorticoFunction(this, 'PartnerPushFunction', {
      entry: 'functions/partners/push.ts',
      service: 'partners-push',
      environment: partnersEnv,
    });
    grantItems(this.push, data.partnersTable, {
      GetItem: ['PARTNERS', 'PARTNER#*', 'RECORD_SIGNING_KEY'],
      PutItem: ['PARTNER#*', 'ONCE#*', 'RECORD_SIGNING_KEY'],
    });
    grantKeyUse(this.push, data.key, 'kms:Decrypt', { purpose: 'partner-shared-secret' });
    grantKeyUse(this.push, data.key, 'kms:Decrypt', { purpose: 'partner-aes-key' });
    signsRecords(this.push);
    this.addRoutes([[PARTNER_PUSH_ROUTE, this.push]], PUSH_AUTHORIZATION);

    this.health = new PorticoFunction(this, 'PartnerHealthFunction', {
      entry: 'functions/partners/health.ts',
      service: 'partners-health',
      environment: { ...partnersEnv, ...tokenEnv },
    });
    grantTokenValidation(this.health, data.identityTable);
    grantItems(this.health, data.partnersTable, {
      GetItem: ['PARTNERS', 'PARTNER#*', 'RECORD_SIGNING_KEY'],
      Query: ['PARTNER#*'],
      PutItem: ['RECORD_SIGNING_KEY'],
    });
    signsRecords(this.health);
    this.addRoutes(
      HEALTH_ROUTES.map((key) => [key, this.health] as const),
      HEALTH_AUTHORIZATION,
    );

    this.schedulePolls = new PorticoFunction(this, 'PartnerPollSchedulerFunction', {
      entry: 'functions/partners/schedule-polls.ts',
      service: 'partners-schedule-polls',
      environment: { ...partnersEnv, [ENV.partnerPollQueueUrl]: data.partnerPollQueue.queueUrl },
    });
    grantItems(this.schedulePolls, data.partnersTable, { Query: ['PARTNERS', 'POLLS'] });
    data.partnerPollQueue.grantSendMessages(this.schedulePolls);
    this.everyMinute(
      'PartnerPollSchedule',
      this.schedulePolls,
      props.scheduleFailures,
      'Queues a poll job for every partner whose poll interval begins',
    );

    this.poll = new PorticoFunction(this, 'PartnerPollFunction', {
      entry: 'functions/partners/poll.ts',
      service: 'partners-poll',
      timeout: Duration.seconds(30),
      environment: { ...partnersEnv, [ENV.egressAllow]: this.egressAllow },
    });
    grantItems(this.poll, data.partnersTable, {
      GetItem: ['PARTNERS', 'PARTNER#*', 'POLLS', 'RECORD_SIGNING_KEY'],
      PutItem: ['PARTNER#*', 'ONCE#*', 'RECORD_SIGNING_KEY'],
      UpdateItem: ['POLLS'],
    });
    grantKeyUse(this.poll, data.key, 'kms:Decrypt', { purpose: 'partner-shared-secret' });
    grantKeyUse(this.poll, data.key, 'kms:Decrypt', { purpose: 'partner-aes-key' });
    signsRecords(this.poll);
    this.poll.addEventSource(
      new SqsEventSource(data.partnerPollQueue, { batchSize: 5, reportBatchItemFailures: true }),
    );

    this.evaluate = new PorticoFunction(this, 'PartnerEvaluateFunction', {
      entry: 'functions/partners/evaluate.ts',
      service: 'partners-evaluate',
      timeout: Duration.seconds(50),
      environment: {
        ...partnersEnv,
        [ENV.egressAllow]: this.egressAllow,
        [ENV.messagesTable]: data.messagesTable.tableName,
        [ENV.deliveryQueueUrl]: data.deliveryQueue.queueUrl,
      },
    });
    grantItems(this.evaluate, data.partnersTable, {
      GetItem: ['PARTNER#*', 'RECORD_SIGNING_KEY'],
      Query: ['PARTNERS', 'PARTNER#*', 'TRAFFIC#*'],
      PutItem: ['PARTNER#*', 'ONCE#*', 'TRANSITIONS#*', 'RECORD_SIGNING_KEY'],
    });
    signsRecords(this.evaluate);
    // Transitions become messages of portico.partner-health: stored (MSG#), fanned out to the topic's
    // subscriptions (TOPIC#; an ordered one's head on gsi2) as deliveries (DLV#), queued.
    grantItems(
      this.evaluate,
      data.messagesTable,
      { GetItem: ['DLV#*', 'MSG#*'], PutItem: ['DLV#*', 'MSG#*'], Query: ['TOPIC#*'] },
      { indexQueries: { gsi2: ['SUB#*'] } },
    );
    data.deliveryQueue.grantSendMessages(this.evaluate);
    this.everyMinute(
      'PartnerEvaluateSchedule',
      this.evaluate,
      props.scheduleFailures,
      'Runs one round of automatic partner health',
    );

    metricAlarm(
      this,
      'PartnerPollingStuckAlarm',
      { service: 'partners-schedule-polls', metricName: 'PartnersPollingStuck', statistic: 'Maximum' },
      data.alarmTopic,
      "A partner's notice polling has failed several intervals in a row",
    );
    metricAlarm(
      this,
      'PartnerPollingAllFailingAlarm',
      { service: 'partners-schedule-polls', metricName: 'PartnerPollingAllFailing', statistic: 'Maximum' },
      data.alarmTopic,
      'Polling fails for every partner: notices are no longer refreshed',
    );
    metricAlarm(
      this,
      'PartnerHealthPanicAlarm',
      { service: 'partners-evaluate', metricName: 'PartnerHealthPanic', statistic: 'Maximum' },
      data.alarmTopic,
      'Too many partners looked unhealthy at once: automatic notices are held back',
    );
    metricAlarm(
      this,
      'PartnerRecordForgeriesAlarm',
      { service: 'partners-evaluate', metricName: 'PartnerRecordForgeries', statistic: 'Maximum' },
      data.alarmTopic,
      'A partner notice record failed its signature check and is ignored',
    );
  }

  private everyMinute(id: string, fn: PorticoFunction, failures: IQueue, description: string): void {
    const schedule = new Schedule(this, id, {
      description,
      schedule: ScheduleExpression.rate(Duration.minutes(1)),
      // A run that could not start within a minute is superseded by the next one.
      target: new LambdaInvoke(fn, {
        deadLetterQueue: failures,
        retryAttempts: 2,
        maxEventAge: Duration.minutes(1),
      }),
    });
    acknowledge(
      schedulerRolePolicy(schedule),
      `IAM5[Resource::${attributeRef(fn, 'Arn')}:*]`,
      'The scheduler may invoke this function only, any version of it (CDK LambdaInvoke grant)',
    );
  }
}
