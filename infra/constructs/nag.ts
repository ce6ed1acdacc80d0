import { CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type { CfnSchedule, Schedule } from 'aws-cdk-lib/aws-scheduler';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges one cdk-nag AwsSolutions finding on `scope` and everything below it, with the reason it
 * is not a gap. Acknowledge on the CloudFormation resource that has the finding (see `cfn`), and name
 * the finding for rules that report several per resource (`IAM5[Resource::*]`), never the bare rule.
 * infra/nag.test.ts fails on any finding left unacknowledged and on any acknowledgment nothing needs.
 */
export function acknowledge(scope: IConstruct, finding: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions-${finding}`, reason });
}

/** The CloudFormation resource of an L2 construct (its default child), where findings are reported. */
export const cfn = (construct: IConstruct): IConstruct => construct.node.defaultChild ?? construct;

/** The finding id cdk-nag gives a reference to an attribute: `<LogicalId.Arn>`. */
export const attributeRef = (resource: IConstruct, attribute: string): string => {
  const element = cfn(resource) as CfnElement;
  return `<${Stack.of(element).getLogicalId(element)}.${attribute}>`;
};

/**
 * The policy of the role EventBridge Scheduler assumes for this schedule's target. CDK creates that role
 * at stack level, one per target (`SchedulerRoleForTarget-<hash>`), and does not expose it; it is found
 * through the schedule's `RoleArn`.
 */
export function schedulerRolePolicy(schedule: Schedule): IConstruct {
  const stack = Stack.of(schedule);
  const target = stack.resolve((schedule.node.defaultChild as CfnSchedule).target) as {
    roleArn?: { 'Fn::GetAtt'?: [string, string] };
  };
  const roleId = target.roleArn?.['Fn::GetAtt']?.[0];
  const role = stack.node
    .findAll()
    .find((c) => CfnElement.isCfnElement(c) && roleId !== undefined && stack.getLogicalId(c) === roleId);
  const policy = role?.node.scope?.node.tryFindChild('DefaultPolicy');
  if (!policy) throw new Error(`${schedule.node.path}: no policy found for its scheduler role ${roleId}`);
  return cfn(policy);
}
