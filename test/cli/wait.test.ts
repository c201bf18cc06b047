import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../src/kube/types.js';
import { startFakeCluster } from '../../src/testing/cluster.js';
import { podManifest, watching } from '../helpers.js';
import { deployment, runCli } from './helpers.js';

const configMap = (name: string, finalizers: string[] = []): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default', ...(finalizers.length > 0 ? { finalizers } : {}) },
  data: { a: 'b' },
});

describe('kubedog wait --for=delete', () => {
  test('a resource already gone: done at once, exit 0', async () => {
    await using cluster = await startFakeCluster();
    const run = await runCli(['wait', '--for=delete', 'deploy/web', '--kubeconfig', cluster.kubeconfigPath]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /^deploy\/web - deployment "web" does not exist$/m);
    assert.match(run.stderr, /^✓ deploy\/web is gone \(waited \d+\.\ds\)$/m);
  });

  test('deleted while waiting: the pending finalizer is named, then it goes; exit 0', async () => {
    await using cluster = await startFakeCluster();
    await cluster.client.create('ConfigMap', configMap('settings', ['example.com/backup']));
    let deleted = false;
    let released = false;
    const run = await runCli(
      ['wait', '--for=delete', 'cm/settings', '--kubeconfig', cluster.kubeconfigPath],
      {
        onStderr: (stderr) => {
          if (!deleted && stderr.includes('is not being deleted')) {
            deleted = true;
            void cluster.client.delete('ConfigMap', { name: 'settings' });
          }
          if (!released && stderr.includes('waiting for its finalizer')) {
            released = true;
            void cluster.client.patch('ConfigMap', { name: 'settings' }, { metadata: { finalizers: null } });
          }
        },
      },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /^configmap\/settings • configmap "settings" exists and is not being deleted$/m);
    assert.match(
      run.stderr,
      /^configmap\/settings … configmap "settings" is being deleted; waiting for its finalizer: example\.com\/backup$/m,
    );
    assert.match(run.stderr, /^configmap\/settings - configmap "settings" was deleted$/m);
    assert.match(run.stderr, /^✓ configmap\/settings is gone \(waited \d+\.\ds\)$/m);
  });

  test('never deleted: exit 2 at the timeout, saying what it waited for and what to do', async () => {
    await using cluster = await startFakeCluster();
    await cluster.client.create('ConfigMap', configMap('settings', ['example.com/backup']));
    await cluster.client.delete('ConfigMap', { name: 'settings' });
    const run = await runCli([
      'wait',
      '--for=delete',
      'cm/settings',
      '--timeout',
      '1s',
      '--kubeconfig',
      cluster.kubeconfigPath,
    ]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(
      run.stderr,
      /^✗ configmap\/settings: Timeout: not deleted after 1s: configmap "settings" is being deleted; waiting for its finalizer: example\.com\/backup$/m,
    );
    assert.match(run.stderr, /hint: a finalizer is removed by the controller that added it/);
    assert.match(run.stderr, /^✗ timed out after 1\.0s: configmap\/settings not deleted$/m);
  });

  test('KIND -l SELECTOR: every match, each gone in turn; nothing matching is nothing to wait for', async () => {
    await using cluster = await startFakeCluster();
    for (const name of ['a', 'b'])
      await cluster.client.create('Pod', podManifest(name, { labels: { app: 'web' } }));
    let deleting = false;
    const kubeconfig = ['--kubeconfig', cluster.kubeconfigPath];
    const run = await runCli(['wait', '--for=delete', 'pod', '-l', 'app=web', '-o', 'json', ...kubeconfig], {
      onStdout: (stdout) => {
        if (deleting || stdout.split('\n').filter((l) => l.includes('"added"')).length < 2) return;
        deleting = true;
        for (const name of ['a', 'b']) void cluster.client.delete('Pod', { name });
      },
    });
    assert.equal(run.code, 0, run.stderr);
    const events = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const summary = events.at(-1);
    assert.equal(summary.type, 'summary');
    assert.equal(summary.summary.outcome, 'deleted');
    assert.deepEqual(
      summary.summary.ready.map((e: { resource: { name: string } }) => e.resource.name).sort(),
      ['a', 'b'],
    );
    const none = await runCli(['wait', '--for=delete', 'pod', '-l', 'app=web', ...kubeconfig]);
    assert.equal(none.code, 0, none.stderr);
    assert.match(none.stderr, /^✓ nothing matches: nothing left to wait for$/m);
  });
});

describe('kubedog wait --for=create and --for=ready', () => {
  test('create: waits until it exists, whatever its readiness; a timeout says it was not created', async () => {
    await using cluster = await startFakeCluster();
    const kubeconfig = ['--kubeconfig', cluster.kubeconfigPath];
    let created = false;
    const running = runCli(['wait', '--for=create', 'deploy/web', ...kubeconfig]);
    // Created once the wait has begun.
    await watching(cluster);
    created = true;
    await cluster.client.create('Deployment', deployment('web'));
    const run = await running;
    assert.ok(created);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /^✓ deploy\/web exists \(waited \d+\.\ds\)$/m);
    const late = await runCli(['wait', '--for=create', 'deploy/api', '--timeout', '1s', ...kubeconfig]);
    assert.equal(late.code, 2, late.stderr);
    assert.match(late.stderr, /Timeout: not created after 1s: deployment\/api does not exist$/m);
    assert.match(late.stderr, /^✗ timed out after 1\.0s: deploy\/api not created$/m);
  });

  test('create with KIND -l: done once something matches — at once when something does; a timeout says nothing matched', async () => {
    await using cluster = await startFakeCluster();
    const kubeconfig = ['--kubeconfig', cluster.kubeconfigPath];
    const running = runCli([
      'wait',
      '--for=create',
      'pod',
      '-l',
      'app=web',
      '--timeout',
      '20s',
      ...kubeconfig,
    ]);
    // Created once the wait has begun: its watch is open.
    await watching(cluster);
    await cluster.client.create('Pod', podManifest('web-1', { labels: { app: 'web' } }));
    const run = await running;
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /^✓ po\/web-1 exists \(waited \d+\.\ds\)$/m);
    const again = await runCli(['wait', '--for=create', 'pods', '-l', 'app=web', ...kubeconfig]);
    assert.equal(again.code, 0, again.stderr);
    const none = await runCli([
      'wait',
      '--for=create',
      'pod',
      '-l',
      'app=api',
      '--timeout',
      '1s',
      ...kubeconfig,
    ]);
    assert.equal(none.code, 2, none.stderr);
    assert.match(none.stderr, /^✗ timed out after 1\.0s: nothing matches pod -l app=api: not created$/m);
  });

  test('ready: a rollout without its logs', async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('web-*', 'app', { logEvery: '50ms', logLine: 'serving' });
    await cluster.client.create('Deployment', deployment('web', { replicas: 1 }));
    const run = await runCli(['wait', '--for=ready', 'deploy/web', '--kubeconfig', cluster.kubeconfigPath]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, '', 'no log lines');
    assert.match(run.stderr, /^✓ deploy\/web ready after \d+\.\ds$/m);
  });

  test('bad input is a usage error naming the flag and its values', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['wait', 'deploy/web'],
        /^kubedog wait: missing --for \(one of delete, create, ready, condition=NAME\[=VALUE\], jsonpath=EXPR\[=VALUE\]\)$/m,
      ],
      [
        ['wait', '--for=available', 'deploy/web'],
        /^kubedog: --for: "available" is not one of delete, create, ready, condition=NAME\[=VALUE\], jsonpath=EXPR\[=VALUE\]$/m,
      ],
      [
        ['rollout', 'track', '--for=delete', 'deploy/web'],
        /^kubedog rollout track: --for is a flag of kubedog wait$/m,
      ],
      [
        ['wait', '--for=create', '-l', 'app=web'],
        /--for=create waits for named resources .* or one KIND with -l/,
      ],
      [['wait', '--for=delete'], /^kubedog wait: nothing to track/m],
    ];
    for (const [args, pattern] of cases) {
      const run = await runCli(args);
      assert.equal(run.code, 64, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, pattern);
    }
  });
});

describe('kubedog wait --for=condition and --for=jsonpath, as kubectl takes them', () => {
  test('condition=NAME and jsonpath=EXPR=VALUE: done when the object says so; the last line says which', async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('web-*', 'app', { readyAfter: '200ms' });
    await cluster.client.create('Deployment', deployment('web', { replicas: 1 }));
    const kubeconfig = ['--kubeconfig', cluster.kubeconfigPath];
    const [available, replicas] = await Promise.all([
      runCli(['wait', '--for=condition=available', 'deploy/web', ...kubeconfig]),
      // What a shell passes on for --for=jsonpath='{.status.readyReplicas}'=1.
      runCli(['wait', '--for=jsonpath={.status.readyReplicas}=1', 'deployment', 'web', ...kubeconfig]),
    ]);
    assert.equal(available.code, 0, available.stderr);
    assert.match(available.stderr, /^✓ deploy\/web: condition available=True after \d+\.\ds$/m);
    assert.equal(replicas.code, 0, replicas.stderr);
    assert.match(replicas.stderr, /^✓ deploy\/web: \{\.status\.readyReplicas\}=1 after \d+\.\ds$/m);
  });

  test("several --for, as the current kubectl's: met in their order; create goes first; the words in any case", async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('web-*', 'app', { readyAfter: '200ms' });
    const kubeconfig = ['--kubeconfig', cluster.kubeconfigPath];
    const both = runCli([
      'wait',
      '--for=jsonpath={.status.readyReplicas}=1',
      '--for=CREATE',
      '--for=condition=Available',
      'deployment',
      '-l',
      'app=web',
      ...kubeconfig,
    ]);
    await cluster.client.create('Deployment', deployment('web', { replicas: 1, labels: { app: 'web' } }));
    const run = await both;
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stderr,
      /^✓ deploy\/web: \{\.status\.readyReplicas\}=1 and condition Available=True after /m,
    );
    const deleted = await runCli(['wait', '--for=Delete', 'deploy/gone', ...kubeconfig]);
    assert.equal(deleted.code, 0, deleted.stderr);
  });

  test('a condition on an object that does not exist yet waits for it (kubectl stops: NotFound); the timeout says so', async () => {
    await using cluster = await startFakeCluster();
    const run = await runCli([
      'wait',
      '--for=condition=Ready',
      'pod/missing',
      '--timeout=1s',
      '--kubeconfig',
      cluster.kubeconfigPath,
    ]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /Timeout: condition Ready=True not met after 1s: pod\/missing does not exist$/m);
  });

  test('a failure ends the wait early with its reason (exit 1); --strict waits as kubectl does, until the timeout (exit 2)', async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('bad-*', 'app', { pullFails: true });
    await cluster.client.create('Deployment', deployment('bad', { replicas: 1 }));
    const wait = ['wait', '--for=condition=Available', 'deploy/bad', '--kubeconfig', cluster.kubeconfigPath];
    const [early, strict] = await Promise.all([
      runCli([...wait, '--timeout', '20s']),
      runCli([...wait, '--strict', '--timeout', '2s']),
    ]);
    assert.equal(early.code, 1, early.stderr);
    assert.match(early.stderr, /^✗ deploy\/bad failed after \d+\.\ds: ImagePullBackOff$/m);
    assert.equal(strict.code, 2, strict.stderr);
    assert.match(strict.stderr, /Timeout: condition Available=True not met after 2s: /);
    assert.match(strict.stderr, /^✗ timed out after 2\.0s: deploy\/bad condition Available=True not met$/m);
  });

  test('bad forms: exit 64, naming what is wrong (the character of a bad JSONPath)', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['--for=jsonpath={.status[', 'deploy/web'],
        /^kubedog: --for=jsonpath: invalid JSONPath "\{\.status\[": unclosed "\{" at character 10$/m,
      ],
      [['--for=jsonpath={.a[x]}', 'deploy/web'], /invalid array index "x" at character 4$/m],
      [['--for=jsonpath={.status.phase}=', 'deploy/web'], /--for=jsonpath: a value must follow the =/],
      [['--for=jsonpath=', 'deploy/web'], /--for=jsonpath: the expression is empty/],
      [['--for=condition=', 'deploy/web'], /--for=condition=NAME\[=VALUE\]: the condition has no name/],
      [
        ['--for=ready', '--strict', 'deploy/web'],
        /--strict: only with kubedog wait --for=condition=… or --for=jsonpath=…/,
      ],
    ];
    for (const [args, pattern] of cases) {
      const run = await runCli(['wait', ...args]);
      assert.equal(run.code, 64, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, pattern);
    }
  });
});
