import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { KEYS } from '../src/cli/render/interactive/pages.js';
import { computeVerdict } from '../src/status/index.js';
import { startFakeCluster } from '../src/testing/cluster.js';
import { deployment, runCli } from './cli/helpers.js';

const readme = readFileSync('README.md', 'utf8');

/** The fenced block of `lang` that follows `marker` (itself after `after`, when given) in the README. */
function blockAfter(marker: string, lang: string, after = ''): string {
  const at = readme.indexOf(marker, readme.indexOf(after));
  assert.ok(at !== -1 && readme.includes(after), `README lacks "${marker}"`);
  const start = readme.indexOf(`\`\`\`${lang}\n`, at);
  const end = readme.indexOf('\n```', start + lang.length + 4);
  return readme.slice(start + lang.length + 4, end);
}

describe('README', { concurrency: 3 }, () => {
  test('links to the repository’s files are absolute (they work on npm’s page too), and the files exist', () => {
    const { repository } = JSON.parse(readFileSync('package.json', 'utf8')) as {
      repository: { url: string };
    };
    const blob = `${repository.url.replace(/^git\+/, '').replace(/\.git$/, '')}/blob/main/`;
    const targets = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] as string);
    assert.deepEqual(
      targets.filter((t) => !/^(https?:|#)/.test(t)),
      [],
      'relative links break in the installed package',
    );
    const files = targets
      .filter((t) => t.startsWith(blob))
      .map((t) => t.slice(blob.length).replace(/#.*$/, ''));
    assert.ok(files.length >= 10, `${files.length} links to the repository`);
    assert.deepEqual(
      files.filter((file) => !existsSync(file)),
      [],
    );
  });

  /** Runs an example file against the sources (its package imports point at src/) and returns its output. */
  function runExample(path: string): string {
    const runnable = readFileSync(path, 'utf8')
      .replace("from 'kubedog/testing'", "from '../src/testing/index.js'")
      .replace("from 'kubedog'", "from '../src/index.js'");
    const file = `examples/.readme-${Math.random().toString(36).slice(2)}.ts`;
    writeFileSync(file, runnable);
    try {
      const result = spawnSync(process.execPath, ['--import', 'tsx', file], {
        encoding: 'utf8',
        timeout: 30_000,
      });
      assert.equal(result.status, 0, result.stderr);
      return result.stdout.trimEnd();
    } finally {
      rmSync(file, { force: true });
    }
  }

  test('the library example is the file examples/watch-and-logs.ts, and its output is what it prints', () => {
    assert.equal(
      blockAfter('This example runs as it is (`examples/watch-and-logs.ts`', 'ts'),
      readFileSync('examples/watch-and-logs.ts', 'utf8').trimEnd(),
    );
    assert.equal(
      runExample('examples/watch-and-logs.ts'),
      blockAfter('Output:', 'text', 'examples/watch-and-logs.ts'),
    );
  });

  test('the tracking example is the file examples/track-deployment.ts, and its output is what it prints', () => {
    assert.equal(
      blockAfter('This example runs as it is too', 'ts'),
      readFileSync('examples/track-deployment.ts', 'utf8').trimEnd(),
    );
    // The first verdict comes once the pods are listed: on a loaded machine the pod may
    // have failed its first pull by then, and the verdict adds it in parentheses.
    const firstPull = /^(deployment\/web: Waiting for .*?\.\.\.) \(.*\)$/m;
    assert.equal(
      runExample('examples/track-deployment.ts').replace(firstPull, '$1'),
      blockAfter('Output, within about a second:', 'text'),
    );
  });

  test('the embedding example is the file examples/progress.ts, and its output is what it prints', () => {
    assert.equal(
      blockAfter('(`examples/progress.ts`)', 'ts'),
      readFileSync('examples/progress.ts', 'utf8').trimEnd(),
    );
    assert.equal(runExample('examples/progress.ts'), blockAfter('Output:', 'text', 'examples/progress.ts'));
  });

  test('the deploy script is examples/deploy.mjs, runs on plain Node, and prints what the README shows', async () => {
    assert.equal(
      blockAfter('### A deploy script', 'js'),
      readFileSync('examples/deploy.mjs', 'utf8').trimEnd(),
    );
    const transcript = blockAfter('### A deploy script', 'text').split('\n');
    const [good, bad] = [transcript.slice(1, 5), transcript.slice(6)];
    assert.deepEqual(await runDeployScript(false), good);
    assert.deepEqual((await runDeployScript(true)).sort(), [...bad].sort());
  });

  test('the first example of the README prints what the README shows', async () => {
    const snippet = blockAfter('# kubedog', 'js');
    await using cluster = await startFakeCluster();
    cluster.pod('web-*').container('app').failsToPull();
    const web = deployment('web', { replicas: 2 });
    const spec = web.spec as { template: { spec: { containers: { image: string }[] } } };
    for (const container of spec.template.spec.containers) container.image = 'registry.local/web:v2';
    await cluster.apply(web);
    const run = await runPlainNode(snippet, [], cluster.kubeconfigPath);
    assert.equal(run.code, 0, run.stderr);
    // How many pulls failed before the track saw it depends on how fast the process started.
    const failures = (text: string) => text.replace(/\(\d+ failures,/, '(N failures,');
    assert.equal(failures(run.stderr.trimEnd()), failures(blockAfter('# kubedog', 'text')));
  });

  test('the deployment-script testing example is examples/deploy-script.test.ts, and its tests pass', () => {
    assert.equal(
      blockAfter('## Testing your deployment scripts', 'ts'),
      readFileSync('examples/deploy-script.test.ts', 'utf8').trimEnd(),
    );
    const runnable = readFileSync('examples/deploy-script.test.ts', 'utf8')
      .replace("from 'kubedog/testing'", "from '../src/testing/index.js'")
      .replace("from 'kubedog'", "from '../src/index.js'");
    const file = `examples/.readme-${Math.random().toString(36).slice(2)}.test.ts`;
    writeFileSync(file, runnable);
    try {
      // A test run of its own, not a child of this one (node:test tells them apart by NODE_TEST_CONTEXT).
      const { NODE_TEST_CONTEXT: _child, ...env } = process.env;
      const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', file], {
        encoding: 'utf8',
        timeout: 60_000,
        env,
      });
      assert.equal(result.status, 0, result.stdout + result.stderr);
      assert.match(result.stdout, /^# pass 3$/m);
    } finally {
      rmSync(file, { force: true });
    }
  });

  test('the behaviour example of the testing kit runs', () => {
    const snippet = blockAfter('Per-container behaviour is scripted', 'ts');
    const file = `examples/.readme-behaviour-${process.pid}.ts`;
    writeFileSync(file, `import { startFakeCluster } from '../src/testing/index.js';\n${snippet}\n`);
    try {
      const result = spawnSync(process.execPath, ['--import', 'tsx', file], {
        encoding: 'utf8',
        timeout: 30_000,
      });
      assert.equal(result.status, 0, result.stderr);
    } finally {
      rmSync(file, { force: true });
    }
  });

  test('the quick-start commands exist, and CI runs the same test command', () => {
    const quickStart = blockAfter('## Quick start', 'sh');
    assert.match(quickStart, /^npm ci && npm run demo /m);
    assert.match(quickStart, /^npm test /m);
    const scripts = JSON.parse(readFileSync('package.json', 'utf8')).scripts as Record<string, string>;
    assert.ok(scripts.demo && scripts.test);
    const ci = readFileSync('.ci/run', 'utf8');
    assert.match(ci, /^npm ci\b/m);
    assert.match(ci, /^npm test$/m);
  });

  test('the interactive view’s key table is the one its ? page shows', () => {
    const section = readme.slice(readme.indexOf('### Interactive'), readme.indexOf('### One file'));
    const rows = section
      .split('\n')
      .filter((line) => /^\| `/.test(line))
      .map((line) => line.split(' | ').map((cell) => cell.replace(/^\| |\s+\|?$/g, '').trim()));
    assert.deepEqual(
      rows.map(([keys, what]) => [keys?.replace(/`/g, '').replace(/ ?, ?/g, '  '), what]),
      KEYS.map(([keys, what]) => [keys, what]),
    );
  });

  test('the verdict example shows what computeVerdict returns', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', generation: 1 },
      spec: { replicas: 1 },
      status: {
        observedGeneration: 1,
        replicas: 1,
        updatedReplicas: 1,
        readyReplicas: 0,
        availableReplicas: 0,
      },
    };
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-7f9c4-abcde' },
      spec: { containers: [{ name: 'app', image: 'registry.local/web:v2' }] },
      status: {
        phase: 'Pending',
        containerStatuses: [
          {
            name: 'app',
            restartCount: 0,
            state: {
              waiting: {
                reason: 'ImagePullBackOff',
                // As a v1.34 kubelet writes it: the back-off carries the failed pull's error.
                message:
                  'Back-off pulling image "registry.local/web:v2": ErrImagePull: rpc error: code = NotFound desc = failed to pull and unpack image "registry.local/web:v2": failed to resolve reference "registry.local/web:v2": not found',
              },
            },
          },
        ],
      },
    };
    const verdict = computeVerdict(deployment, { now: new Date(), pods: [pod] });
    const example = blockAfter('### Verdicts', 'ts');
    assert.ok(example.includes(`{ state: '${verdict.state}', reason: '${verdict.reason}',`), example);
    assert.ok(example.includes(`message: '${verdict.message}',`), verdict.message);
    assert.ok(example.includes(`hint: '${verdict.hint?.replace("'", "\\'")}',`), verdict.hint);
    assert.ok(example.includes(`progress: { desired: 1, updated: 1, ready: 0, available: 0 } }`));
  });

  test('the demo transcript shows what the demo prints', () => {
    const transcript = blockAfter('A real run (both', 'text');
    const demo = spawnSync(process.execPath, ['dist/cli/main.js', 'demo'], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(demo.status, 0, demo.stderr);
    // Ports and durations differ from run to run; names do not (the demo's cluster is seeded).
    const normalize = (text: string) =>
      text.replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT').replace(/\d+\.\ds\b/g, 'N.Ns');
    const actual = new Set(normalize(demo.stderr + demo.stdout).split('\n'));
    // The lines that do not depend on timing: commands, verdicts, reports, notes, exit codes.
    const stable = normalize(transcript)
      .split('\n')
      .filter((line) => /^(\$ |✓ |✗ |# |demo finished| {2}hint:| {2}Last | {4}│ )/.test(line));
    assert.ok(stable.length >= 15, `${stable.length} stable lines`);
    for (const line of stable) assert.ok(actual.has(line), `the demo no longer prints: ${line}`);
  });

  test('the failure transcript is what the CLI prints for that failure', async () => {
    const transcript = blockAfter('A failed rollout (an image that does not exist)', 'text');
    // The same story: a seeded cluster (same names), two replicas of an image that does not exist.
    await using cluster = await startFakeCluster({ seed: 3 });
    cluster.behave('web-*', 'app', { pullFails: true });
    const web = deployment('web', { replicas: 2 });
    const spec = web.spec as { template: { spec: { containers: { image: string }[] } } };
    for (const container of spec.template.spec.containers) container.image = 'registry.local/web:v2';
    await cluster.client.create('Deployment', web);
    const run = await runCli(['rollout', 'track', 'deploy/web', '--kubeconfig', cluster.kubeconfigPath]);
    assert.equal(run.code, 1, run.stderr);
    // Durations, and how many pulls had failed when the track saw them, depend on the machine's speed.
    const normalize = (text: string) =>
      text.replace(/\d+\.\ds\b/g, 'N.Ns').replace(/\(\d+ failures,/g, '(N failures,');
    const actual = new Set(normalize(run.stderr).split('\n'));
    const stable = normalize(transcript)
      .split('\n')
      .filter((line) => /^(✗ | {2}hint:| {2}Warning events:)/.test(line));
    assert.ok(stable.length >= 3);
    for (const line of stable) assert.ok(actual.has(line), `the CLI no longer prints: ${line}`);
  });
});

/** Runs JavaScript as a user's plain `.mjs` file on Node (no tsx), its `kubedog` imports pointing at dist/. */
async function runPlainNode(
  code: string,
  args: string[],
  kubeconfig: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const file = `examples/.readme-${Math.random().toString(36).slice(2)}.mjs`;
  writeFileSync(file, code.replace("from 'kubedog'", "from '../dist/index.js'"));
  try {
    const child = spawn(process.execPath, [file, ...args], {
      env: { ...process.env, KUBECONFIG: kubeconfig },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const [exitCode] = await once(child, 'close');
    return { code: exitCode as number | null, stdout, stderr };
  } finally {
    rmSync(file, { force: true });
  }
}

/** `node deploy.mjs app.yaml; echo "exit code $?"` against a simulated cluster, as the README shows it. */
async function runDeployScript(missingImage: boolean): Promise<string[]> {
  await using cluster = await startFakeCluster();
  // The migration takes longer than the image pull takes to fail, so the failure ends the track first.
  cluster
    .pod('migrate-*')
    .container('migrate')
    .exits(0, { after: missingImage ? '10s' : '500ms' });
  if (missingImage) cluster.pod('web-*').container('app').failsToPull();
  const run = await runPlainNode(
    readFileSync('examples/deploy.mjs', 'utf8'),
    ['examples/app.yaml'],
    cluster.kubeconfigPath,
  );
  assert.equal(run.stderr, '');
  return [...run.stdout.trimEnd().split('\n'), `exit code ${run.code}`];
}
