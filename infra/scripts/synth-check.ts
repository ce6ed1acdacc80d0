import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../constructs/portico-function.ts';

/**
 * `cdk synth` with real bundling, then cfn-lint over every template. Fails on any cfn-lint error;
 * warnings are shown. Where cfn-lint is not installed the lint step says so and is skipped.
 */
const outdir = path.join(REPO_ROOT, 'cdk.out');
const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { cwd: REPO_ROOT, stdio: 'inherit' });

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

if (spawnSync('cfn-lint', ['--version'], { stdio: 'ignore' }).status !== 0) {
  console.log(
    'synth-check: cfn-lint is not installed; template lint skipped (pip install cfn-lint to run it)',
  );
  process.exit(0);
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
