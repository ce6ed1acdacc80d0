import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { App } from 'aws-cdk-lib';
import { buildUnbundledPortico } from '../infra/app.ts';
import type { StackTemplate } from './template.ts';

/**
 * Synthesizes the CDK app in-process, without bundling (the local runtime runs the sources). The
 * templates are the single source of truth for local wiring.
 */
export function synthStacks(
  customize?: (app: App) => void,
  context: Record<string, unknown> = {},
): StackTemplate[] {
  const outdir = mkdtempSync(path.join(tmpdir(), 'portico-synth-'));
  try {
    const app = buildUnbundledPortico({ outdir, context });
    customize?.(app);
    return app.synth().stacks.map((stack) => ({ stackName: stack.stackName, template: stack.template }));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
