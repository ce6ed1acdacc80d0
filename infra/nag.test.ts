import { type App, CfnResource, type PolicyViolation, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { buildUnbundledPortico } from './app.ts';

/**
 * cdk-nag's AwsSolutions pack over the whole app: every finding is either fixed or acknowledged, on the
 * resource that has it, with a reason (`acknowledge` in infra/constructs/nag.ts). The tables printed
 * show the findings before and after acknowledgments, by rule.
 */

/** The pack as CDK runs it at synthesis (`Validations.of(app).addPlugins`), acknowledgments honoured. */
function checkedApp(): { app: App; pack: AwsSolutionsChecks } {
  const app = buildUnbundledPortico();
  const pack = new AwsSolutionsChecks(app);
  Validations.of(app).addPlugins(pack);
  return { app, pack };
}

/** The same pack with acknowledgments ignored: every finding the app has. */
function allFindings(app: App): PolicyViolation[] {
  const pack = new AwsSolutionsChecks(app);
  (pack as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;
  return [...pack.validateScope(app).violations];
}

interface Acknowledgment {
  scope: IConstruct;
  id: string;
  reason: string;
}
function acknowledgments(app: App): Acknowledgment[] {
  return app.node.findAll().flatMap((scope) =>
    scope.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) =>
        Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({
          scope,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

/** Findings per rule (`AwsSolutions-IAM5[Resource::*]` counts as IAM5) and severity. */
function countByRule(violations: readonly PolicyViolation[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of violations) {
    const rule = `${v.ruleName.replace(/^AwsSolutions-/, '').replace(/\[.*$/, '')} (${v.severity})`;
    counts[rule] = (counts[rule] ?? 0) + v.violatingResources.length;
  }
  return Object.fromEntries(Object.entries(counts).sort());
}

const { app, pack } = checkedApp();
// Synthesis runs the plugin as `cdk synth` would, and fails on any finding left.
app.synth();
const remaining = pack.validateScope(app).violations;
const findings = allFindings(app);
const acks = acknowledgments(app);

describe('cdk-nag AwsSolutions', () => {
  it('leaves no finding unacknowledged, error or warning', () => {
    const total = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
    console.log('cdk-nag AwsSolutions findings without acknowledgments:', countByRule(findings));
    console.log('cdk-nag AwsSolutions findings left:', countByRule(remaining));
    console.log(`${total(countByRule(findings))} findings, ${acks.length} acknowledgments`);
    expect(
      remaining.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`)),
    ).toEqual([]);
  });

  it('acknowledges each finding on the CloudFormation resource that has it, with a reason', () => {
    for (const { scope, id, reason } of acks) {
      const what = `${id} on ${scope.node.path}`;
      expect(CfnResource.isCfnResource(scope), what).toBe(true);
      expect(reason.length, what).toBeGreaterThan(20);
      expect(id, what).toMatch(/^AwsSolutions-[A-Z]+\d+(\[.+\])?$/);
    }
  });

  it('names the exact finding for rules that report several per resource (IAM4, IAM5)', () => {
    for (const { scope, id } of acks.filter((a) => /-IAM\d/.test(a.id)))
      expect(id, scope.node.path).toMatch(/\[(Resource|Action|Policy)::.+\]$/);
  });

  it('has no acknowledgment that nothing needs', () => {
    const unused = acks.filter(
      ({ scope, id }) =>
        !findings.some(
          (f) => f.ruleName === id && f.violatingResources.some((r) => r.constructPath === scope.node.path),
        ),
    );
    expect(unused.map(({ scope, id }) => `${id} on ${scope.node.path}`)).toEqual([]);
  });

  it('fixes what is a real gap instead of acknowledging it: access logs on the HTTP API stage', () => {
    expect(findings.filter((f) => f.ruleName === 'AwsSolutions-APIG1')).toEqual([]);
    expect(acks.filter((a) => a.id === 'AwsSolutions-APIG1')).toEqual([]);
  });
});
