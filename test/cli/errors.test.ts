import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { startFakeCluster } from '../../src/testing/cluster.js';
import { deployment, runCli } from './helpers.js';

/** One line (plus the usage pointer for usage errors), no stack trace, no secret. */
function assertOneLine(stderr: string, pattern: RegExp) {
  const lines = stderr.trimEnd().split('\n');
  assert.match(lines[0] ?? '', pattern);
  assert.ok(
    lines.length === 1 || (lines.length === 2 && lines[1] === "Run 'kubedog help' for usage."),
    stderr,
  );
  assert.doesNotMatch(stderr, /\n\s+at /);
}

describe('bad input: one clear line and the right exit code', () => {
  test('usage errors exit 64', async () => {
    await using cluster = await startFakeCluster();
    const k = ['--kubeconfig', cluster.kubeconfigPath];
    const cases: [string[], RegExp][] = [
      [
        ['rollout', 'track'],
        /^kubedog rollout track: nothing to track: give KIND NAME, -f FILE, -l SELECTOR, --all or --helm-release NAME$/,
      ],
      [
        ['rollout', 'track', 'deploy'],
        /^kubedog rollout track: missing NAME after "deploy" \(usage: kubedog rollout track KIND NAME\)$/,
      ],
      [['rollout', 'track', 'deploy/'], /^kubedog rollout track: "deploy\/" is not KIND\/NAME/],
      [['rollout', 'track', 'deploy', 'web/x'], /there is no need to give a kind as a separate argument/],
      [
        ['rollout', 'track', 'gizmo', 'web', ...k],
        /^kubedog: the server http:\/\/127\.0\.0\.1:\d+ does not have a resource type "gizmo"$/,
      ],
      [
        ['rollout', 'track', 'deploy/web', '--timeout', '5 minutes'],
        /^kubedog: --timeout: invalid duration "5 minutes": use a number with a unit, like 90s, 5m or 1h30m$/,
      ],
      [
        ['rollout', 'track', 'deploy/web', '--logs-since', 'yesterday'],
        /^kubedog: --logs-since: invalid duration "yesterday"/,
      ],
      [
        ['rollout', 'track', 'deploy/web', '-o', 'yaml'],
        /^kubedog: --output: "yaml" is not one of text, json$/,
      ],
      [
        ['rollout', 'track', 'deploy/web', '--watch-scope', 'cluster'],
        /^kubedog: --watch-scope: "cluster" is not one of auto, resource, namespace$/,
      ],
      [
        ['rollout', 'track', 'deploy/web', '--fail-mode', 'sometimes'],
        /^kubedog: --fail-mode: "sometimes" is not one of fail-whole-deploy, ignore, hope-until-end$/,
      ],
      [
        ['rollout', 'track', 'deploy/web', '--failures-allowed-per-replica', 'many'],
        /is not a whole number$/,
      ],
      [['rollout', 'track', 'deploy/web', '--bogus'], /^kubedog: Unknown option '--bogus'$/],
      [
        ['rollout', 'track', 'deploy/web', '-n'],
        /^kubedog: Option '-n, --namespace <value>' argument missing$/,
      ],
      [
        ['rollout', 'track', '-f', '/nonexistent/app.yaml', ...k],
        /^kubedog: -f \/nonexistent\/app\.yaml: no such file or directory$/,
      ],
      [['rollout', 'undo', 'deploy/web'], /^kubedog rollout: unknown subcommand "undo" \(track or status\)$/],
      [['rollout', 'track', '-l', 'a=b', '--all'], /-l and --all exclude each other$/],
      [['rollout', 'track', 'deploy/web', '--helm-tests'], /--helm-tests works with --helm-release$/],
      [
        ['rollout', 'track', '--helm-release', 'shop', '--helm-revision', 'latest'],
        /^kubedog: --helm-revision: "latest" is not a revision number or next$/,
      ],
      [
        ['rollout', 'track', '--helm-release', 'shop', '--helm-storage', 'memory'],
        /^kubedog: --helm-storage: "memory" is not one of secret, configmap \(kubedog reads the releases Helm keeps in the cluster\)$/,
      ],
      [
        ['wait', 'deploy/web', '--for', 'delete', '--interactive'],
        /^kubedog wait: --interactive is a flag of kubedog rollout track and kubedog follow$/,
      ],
      [
        ['rollout', 'track', 'deploy/web', '--interactive', '-o', 'json'],
        /--interactive and -o json exclude each other$/,
      ],
      [
        ['follow', 'deploy/web', '--interactive', '-q'],
        /^kubedog follow: --interactive and --quiet exclude each other$/,
      ],
      [
        ['rollout', 'track', 'deploy/web', '--clipboard'],
        /^kubedog rollout track: --clipboard is a flag of the interactive view: add --interactive$/,
      ],
      [
        ['rollout', 'track', '-f', '-', '--interactive'],
        /--interactive reads the keyboard: give the manifests as a file, not -f - \(stdin\)$/,
      ],
      // The tests' standard input is a pipe: no person at a terminal.
      [
        ['rollout', 'track', 'deploy/web', '--interactive', ...k],
        /^kubedog rollout track: --interactive needs a terminal, and standard input is not one \(leave --interactive out in pipes and CI\)$/,
      ],
      [['explode'], /^kubedog: unknown command "explode"$/],
      [['completion', 'powershell'], /^kubedog completion: give a shell: bash, zsh or fish$/],
    ];
    const runs = await Promise.all(cases.map(([args]) => runCli(args)));
    for (const [i, run] of runs.entries()) {
      const [args, pattern] = cases[i] ?? [[], /./];
      assert.equal(run.code, 64, `${args.join(' ')}: ${run.stderr}`);
      assertOneLine(run.stderr, pattern);
    }
    // Helm's own variable, read only when a release is tracked.
    const driver = await runCli(['rollout', 'track', '--helm-release', 'shop'], {
      env: { HELM_DRIVER: 'sql' },
    });
    assert.equal(driver.code, 64, driver.stderr);
    assertOneLine(driver.stderr, /^kubedog: HELM_DRIVER: "sql" is not one of secret, configmap/);
  });

  test("an annotation's invalid regular expression is a usage error naming the annotation and the object, before any kubeconfig is read", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubedog-bad-'));
    const file = join(dir, 'app.yaml');
    writeFileSync(
      file,
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  annotations:\n    werf.io/log-regex: "(unclosed"\n',
    );
    const run = await runCli([
      'rollout',
      'track',
      '-f',
      file,
      '--kubeconfig',
      join(dir, 'no-such-kubeconfig'),
    ]);
    assert.equal(run.code, 64, run.stderr);
    assertOneLine(
      run.stderr,
      /^kubedog: deployment\/web: annotation werf.io\/log-regex: invalid regular expression "\(unclosed": Unterminated group$/,
    );
  });

  test('an invalid manifest names the file, the document and the line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubedog-bad-'));
    const file = join(dir, 'app.yaml');
    writeFileSync(
      file,
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: ok\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: [broken\n',
    );
    const run = await runCli(['rollout', 'track', '-f', file]);
    assert.equal(run.code, 64);
    assertOneLine(run.stderr, new RegExp(`^kubedog: invalid manifest ${file}: document 2, line \\d+: `));
    const nameless = join(dir, 'nameless.yaml');
    writeFileSync(nameless, 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {}\n');
    const second = await runCli(['rollout', 'track', '-f', nameless]);
    assert.equal(second.code, 64);
    assertOneLine(
      second.stderr,
      new RegExp(`^kubedog: invalid manifest ${nameless}: document 1: Deployment has no metadata.name$`),
    );
  });

  test('unreachable server, 403, bad kubeconfig: exit 3, no secret in the output', async () => {
    await using cluster = await startFakeCluster({ auth: { tokens: { 's3cr3t-t0ken': 'alice' } } });
    await cluster.client.create('Deployment', deployment('web', { replicas: 1 }));
    const dir = mkdtempSync(join(tmpdir(), 'kubedog-kc-'));
    const write = (name: string, text: string) => {
      const path = join(dir, name);
      writeFileSync(path, text, { mode: 0o600 });
      return path;
    };
    const unreachable = write(
      'unreachable',
      cluster.kubeconfigWith({ token: 's3cr3t-t0ken' }, { server: 'http://127.0.0.1:1' }),
    );
    const refused = await runCli([
      'rollout',
      'track',
      'deploy/web',
      '--kubeconfig',
      unreachable,
      '--timeout',
      '20s',
    ]);
    assert.equal(refused.code, 3, refused.stderr);
    assertOneLine(refused.stderr, /^kubedog: .*127\.0\.0\.1:1.*(refused|ECONNREFUSED)/);
    cluster.forbid({ resource: 'deployments', user: 'alice' });
    const alice = write('alice', cluster.kubeconfigWith({ token: 's3cr3t-t0ken' }));
    const forbidden = await runCli(['rollout', 'track', 'deploy/web', '--kubeconfig', alice]);
    assert.equal(forbidden.code, 3, forbidden.stderr);
    assertOneLine(forbidden.stderr, /^kubedog: .*forbidden.*deployments/i);
    const wrong = write('wrong', cluster.kubeconfigWith({ token: 'wr0ng-t0ken' }));
    const unauthorized = await runCli(['rollout', 'track', 'deploy/web', '--kubeconfig', wrong]);
    assert.equal(unauthorized.code, 3, unauthorized.stderr);
    const malformed = write('malformed', 'clusters: [\n');
    const broken = await runCli(['rollout', 'track', 'deploy/web', '--kubeconfig', malformed]);
    assert.equal(broken.code, 3, broken.stderr);
    assertOneLine(broken.stderr, new RegExp(`^kubedog: .*${malformed}`));
    const missing = await runCli(['rollout', 'track', 'deploy/web', '--kubeconfig', join(dir, 'nope')]);
    assert.equal(missing.code, 3);
    assertOneLine(missing.stderr, /^kubedog: kubeconfig file .*nope does not exist \(--kubeconfig\)$/);
    const context = await runCli([
      'rollout',
      'track',
      'deploy/web',
      '--kubeconfig',
      alice,
      '--context',
      'staging',
    ]);
    assert.equal(context.code, 3);
    assertOneLine(context.stderr, /staging/);
    for (const run of [refused, forbidden, unauthorized, broken, missing, context])
      assert.ok(
        !(run.stdout + run.stderr).includes('s3cr3t-t0ken') &&
          !(run.stdout + run.stderr).includes('wr0ng-t0ken'),
        'no token in any output',
      );
  });
});
