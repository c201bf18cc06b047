import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { describeKubectlAgainstSimulator } from './kubectl-suite.js';

// The current kubectl the real tier builds (e2e/build.sh), when it was built
// here; otherwise the machine's. The real tier runs this suite with its own always.
const built = join(execFileSync('bash', ['e2e/build.sh', '--where'], { encoding: 'utf8' }).trim(), 'kubectl');
const kubectl = existsSync(built) ? built : 'kubectl';

if (spawnSync(kubectl, ['version', '--client']).status === 0) describeKubectlAgainstSimulator(kubectl);
else
  test('kubectl against the simulated cluster', {
    skip: 'no kubectl: built by e2e/build.sh or on PATH',
  }, () => {});
