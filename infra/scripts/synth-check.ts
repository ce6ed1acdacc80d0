import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../repo-root.ts';

/**
 * `cdk synth` with real bundling, then cfn-lint over every template. Fails on any cfn-lint error;
 * warnings are shown. Without cfn-lint the lint step is skipped with one line saying so, except in CI
 * (`CI=true`), where a missing cfn-lint fails the run before anything is synthesized.
 */

export type LintPlan =
  | { action: 'lint' }
  | { action: 'skip'; message: string }
  | { action: 'fail'; message: string };

/** `CI=true` (or `1`), as CI services set it. */
export const isCi = (env: NodeJS.ProcessEnv): boolean => /^(true|1)$/i.test(env.CI ?? '');

export function planLint(cfnLintAvailable: boolean, ci: boolean): LintPlan {
  if (cfnLintAvailable) return { action: 'lint' };
  if (ci)
    return {
      action: 'fail',
      message:
        'synth-check: cfn-lint is not installed, and CI=true does not allow skipping the template lint. ' +
        'Install it (python3 -m pip install cfn-lint; .ci/run does this) or unset CI to skip it locally.',
    };
  return {
    action: 'skip',
    message: 'synth-check: cfn-lint skipped: not installed (python3 -m pip install cfn-lint to run it)',
  };
}

function main(): void {
  const outdir = path.join(REPO_ROOT, 'cdk.out');
  const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { cwd: REPO_ROOT, stdio: 'inherit' });

  const plan = planLint(
    spawnSync('cfn-lint', ['--version'], { stdio: 'ignore' }).status === 0,
    isCi(process.env),
  );
  if (plan.action === 'fail') {
    console.error(plan.message);
    process.exit(1);
  }

  const synth = run(path.join(REPO_ROOT, 'node_modules', '.bin', 'cdk'), [
    'synth',
    '--quiet',
    '--output',
    outdir,
  ]);
  if (synth.status !== 0) {
    console.error('synth-check: cdk synth failed');
    process.exit(1);
  }
  const templates = readdirSync(outdir)
    .filter((f) => f.endsWith('.template.json'))
    .map((f) => path.join(outdir, f));
  console.log(`synth-check: synthesized ${templates.length} templates`);

  if (plan.action === 'skip') {
    console.log(plan.message);
    return;
  }
  // W3005 (redundant DependsOn) is how CDK wires a function to its role policy; it is not a defect.
  const lint = run('cfn-lint', ['--ignore-checks', 'W3005', '--', ...templates]);
  const code = lint.status ?? 1;
  // cfn-lint's exit code is a bit mask: 2 errors, 4 warnings, 8 informational; anything else is a crash.
  if (code & 2 || code & ~(2 | 4 | 8)) {
    console.error(`synth-check: cfn-lint reported errors (exit ${code})`);
    process.exit(1);
  }
  console.log(`synth-check: cfn-lint found 0 errors${code & 4 ? ' (warnings above)' : ''}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
