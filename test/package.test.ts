import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';

const run = (command: string, args: string[], cwd: string) => {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  assert.equal(result.status, 0, `${command} ${args.join(' ')}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
};

const SCENARIO = `import { strict as assert } from 'node:assert';
import { trackDeployment, type TrackEvent } from 'kubedog';
import { fixturePath, replayFixture, startFakeCluster } from 'kubedog/testing';

await using cluster = await startFakeCluster();
cluster.pod('web-*').container('app').failsToPull();
await cluster.apply(\`
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: app, image: registry.local/web:v2}]}
\`);
const events: TrackEvent[] = [];
for await (const event of trackDeployment(cluster.client, { name: 'web' }, { timeout: 10_000 })) events.push(event);
const last = events.at(-1);
assert.equal(last?.type === 'failed' && last.reason, 'ImagePullBackOff');
await using replay = await replayFixture(fixturePath('job-complete'));
console.log('scenario ok', last?.type, replay.url.startsWith('http://127.0.0.1:'));
`;

describe('the published package', () => {
  test('npm pack, install the tarball, import kubedog and kubedog/testing with types, run a scenario and the CLI', () => {
    const root = resolve('.');
    const dir = mkdtempSync(join(tmpdir(), 'kubedog-pack-'));
    try {
      run('npm', ['pack', '--silent', '--pack-destination', dir], root);
      const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
      assert.ok(tarball, 'a tarball');
      const project = join(dir, 'project');
      run('mkdir', ['-p', project], dir);
      writeFileSync(
        join(project, 'package.json'),
        JSON.stringify({ name: 'deploy-scripts', type: 'module', private: true }),
      );
      run(
        'npm',
        ['install', '--prefer-offline', '--no-audit', '--no-fund', '--silent', join(dir, tarball)],
        project,
      );
      writeFileSync(join(project, 'scenario.ts'), SCENARIO);
      writeFileSync(
        join(project, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            target: 'es2022',
            module: 'nodenext',
            moduleResolution: 'nodenext',
            strict: true,
            lib: ['es2022', 'esnext.disposable'],
            types: [],
            outDir: 'out',
            skipLibCheck: false,
          },
          files: ['scenario.ts'],
        }),
      );
      // The declarations are enough to type-check a user's script (with our own TypeScript and Node types).
      writeFileSync(
        join(project, 'node-types.d.ts'),
        `/// <reference path="${join(root, 'node_modules/@types/node/index.d.ts')}" />\n`,
      );
      run(
        process.execPath,
        [
          join(root, 'node_modules/typescript/bin/tsc'),
          '-p',
          '.',
          '--typeRoots',
          join(root, 'node_modules/@types'),
          '--types',
          'node',
        ],
        project,
      );
      assert.match(run(process.execPath, ['out/scenario.js'], project), /^scenario ok failed true$/m);
      assert.match(
        run(join(project, 'node_modules/.bin/kubedog'), ['version'], project),
        /^kubedog \d+\.\d+\.\d+/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
