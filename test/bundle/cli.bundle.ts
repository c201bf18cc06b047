import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { startFakeCluster } from '../../src/testing/index.js';
import { deployment } from '../cli/helpers.js';
import { runCommand } from '../helpers.js';

/** Runs a command with a minimal environment: no node_modules near it, no Node on the PATH. */
const runIn = (dir: string, command: string, args: string[]) =>
  runCommand(command, args, { cwd: dir, env: { PATH: dir, HOME: dir } });

/**
 * Each built CLI, copied alone into an empty directory: `node kubedog.mjs`
 * (plain Node, no node_modules) and the single executable (no Node at all).
 */
const BUILDS = [
  {
    name: 'dist/kubedog.mjs with plain node',
    file: 'kubedog.mjs',
    argv: (path: string) => [process.execPath, path],
  },
  {
    name: `the single executable (dist/kubedog-${process.platform}-${process.arch})`,
    file: `kubedog-${process.platform}-${process.arch}`,
    argv: (path: string) => [path],
  },
];

describe('the CLI in one file, run where nothing else is', () => {
  for (const build of BUILDS)
    test(`${build.name}: version, --help, a rollout tracked on the simulated cluster`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'kubedog-alone-'));
      const path = join(dir, build.file);
      copyFileSync(join('dist', build.file), path);
      const [command, ...pre] = build.argv(path) as [string, ...string[]];
      const version = await runIn(dir, command, [...pre, 'version']);
      assert.equal(version.code, 0, version.stderr);
      assert.match(version.stdout, /^kubedog \d+\.\d+\.\d+ \(node v20\./);
      const help = await runIn(dir, command, [...pre, '--help']);
      assert.match(help.stdout, /^kubedog — track Kubernetes resources while they roll out/);
      await using cluster = await startFakeCluster();
      cluster.pod('web-*').container('app').logs(['listening on :8080']);
      await cluster.client.create('Deployment', deployment('web', { replicas: 2 }));
      const track = await runIn(dir, command, [
        ...pre,
        'rollout',
        'track',
        'deploy/web',
        '--kubeconfig',
        cluster.kubeconfigPath,
      ]);
      assert.equal(track.code, 0, track.stderr);
      assert.match(track.stdout, /listening on :8080/);
      assert.match(track.stderr, /^✓ deploy\/web ready after /m);
    });
});
