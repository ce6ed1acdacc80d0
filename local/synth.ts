import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { App } from 'aws-cdk-lib';
import { buildPortico } from '../infra/app.ts';
import { REPO_ROOT } from '../infra/constructs/portico-function.ts';
import type { StackTemplate } from './template.ts';

/**
 * Synthesizes the CDK app in-process, without bundling (the local runtime runs the sources), with the
 * same context as `cdk synth`. The templates are the single source of truth for local wiring.
 */
export function synthStacks(customize?: (app: App) => void): StackTemplate[] {
  const cdkJson = JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context?: object };
  const outdir = mkdtempSync(path.join(tmpdir(), 'portico-synth-'));
  try {
    const app = buildPortico({ outdir, context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
    customize?.(app);
    return app.synth().stacks.map((stack) => ({ stackName: stack.stackName, template: stack.template }));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
