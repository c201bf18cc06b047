import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { stringify } from 'yaml';
import type { KubeObject } from '../../src/kube/types.js';
import { CLI, helmReleaseSecret, runCli } from '../../test/cli/helpers.js';
import { logLines, terminal } from '../../test/cli/tmux.js';
import { namespace, useCluster, workload } from './helpers.js';

/** `kubedog` as users run it (the built CLI), against a real control cluster.plane. */
describe('the CLI against a real control plane', () => {
  const cluster = useCluster();
  const kubedog = (args: string[], options: Parameters<typeof runCli>[1] = {}) =>
    runCli([...args, '--kubeconfig', cluster.plane.kubeconfigPath], { timeoutMs: 90_000, ...options });

  test('rollout track: exit 0 when ready, with pods, events and logs on the way', async () => {
    const ns = await namespace(cluster.client, 'cli-ready');
    cluster.nodes.pod(`${ns}/web-*`).container('app').logs(['listening on :8080']);
    // Tracking starts first: on simulated nodes a rollout takes well under a second.
    const running = kubedog(['rollout', 'track', 'deployment/web', '-n', ns]);
    await new Promise((r) => setTimeout(r, 1500));
    await cluster.client.create('Deployment', workload('Deployment', 'web', ns, { spec: { replicas: 2 } }));
    const run = await running;
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /listening on :8080/, run.stderr);
    assert.match(run.stderr, /Scheduled/);
    assert.match(run.stderr, /^✓ deploy\/web ready after/m);
  });

  test('rollout track: exit 1 for a bad image, with the failure report', async () => {
    const ns = await namespace(cluster.client, 'cli-bad-image');
    cluster.nodes.pod(`${ns}/web-*`).container('app').failsToPull();
    await cluster.client.create(
      'Deployment',
      workload('Deployment', 'web', ns, { image: 'registry.local/web:v2' }),
    );
    const run = await kubedog(['rollout', 'track', 'deploy/web', '-n', ns]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /(ErrImagePull|ImagePullBackOff)/);
    assert.match(run.stderr, /registry\.local\/web:v2/);
  });

  test("rollout track: exit 1 for a crash loop; the report holds the crashed instance's last lines", async () => {
    const ns = await namespace(cluster.client, 'cli-crash');
    cluster.nodes
      .pod(`${ns}/api-*`)
      .container('app')
      .crashLoops({ logs: ['loading config', 'panic: missing DATABASE_URL'] });
    await cluster.client.create('Deployment', workload('Deployment', 'api', ns));
    const run = await kubedog(['rollout', 'track', 'deployment/api', '-n', ns, '-o', 'json']);
    assert.equal(run.code, 1, run.stderr);
    const events = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; report?: unknown; lines?: string[] });
    const failed = events.find((e) => e.type === 'failed');
    assert.ok(failed?.report, run.stdout);
    assert.match(JSON.stringify(failed.report), /panic: missing DATABASE_URL/);
  });

  test('rollout track: exit 2 when the timeout runs out first', async () => {
    const ns = await namespace(cluster.client, 'cli-timeout');
    cluster.nodes.pod(`${ns}/slow-*`).container('app').neverBecomesReady();
    await cluster.client.create('Deployment', workload('Deployment', 'slow', ns));
    const started = Date.now();
    const run = await kubedog(['rollout', 'track', 'deployment/slow', '-n', ns, '--timeout', '4s']);
    assert.equal(run.code, 2, run.stderr);
    assert.ok(Date.now() - started < 15_000);
    assert.match(run.stderr, /timed out|Timeout/i);
  });

  test('rollout track -f: every trackable object of a manifest, kinds without readiness skipped', async () => {
    const ns = await namespace(cluster.client, 'cli-manifest');
    cluster.nodes
      .pod(`${ns}/migrate-*`)
      .container('app')
      .exits(0, { after: '300ms', logs: ['migrated'] });
    const objects: KubeObject[] = [
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'settings', namespace: ns },
        data: { a: '1' },
      },
      workload('Deployment', 'web', ns, { spec: { replicas: 2 } }),
      workload('StatefulSet', 'db', ns, { spec: { replicas: 2 } }),
      workload('Job', 'migrate', ns),
    ];
    const file = join(cluster.plane.dir, 'manifest.yaml');
    writeFileSync(file, objects.map((o) => stringify(o)).join('---\n'));
    for (const object of objects) await cluster.client.create(object.kind ?? '', object);
    const run = await kubedog(['rollout', 'track', '-f', file]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /3 of 3 resources ready/);
    assert.match(run.stdout, /migrated/);
  });

  test('rollout track --helm-release: the resources of the newest revision of a hand-made release', async () => {
    const ns = await namespace(cluster.client, 'cli-helm');
    const web = workload('Deployment', 'web', ns);
    const worker = workload('Deployment', 'worker', ns);
    for (const object of [web, worker]) await cluster.client.create('Deployment', object);
    const release = (version: number, objects: KubeObject[]) =>
      helmReleaseSecret('shop', ns, version, objects);
    await cluster.client.create('Secret', release(1, [web]));
    await cluster.client.create('Secret', release(2, [web, worker]));
    const run = await kubedog(['rollout', 'track', '--helm-release', 'shop', '-n', ns]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /3 of 3 resources ready/);
    assert.match(run.stderr, /deploy\/worker/);
  });

  test("follow: log lines stream through the API server's log proxy until Ctrl-C, exit 0", async () => {
    const ns = await namespace(cluster.client, 'cli-follow');
    cluster.nodes.pod(`${ns}/ticker-*`).container('app').logs(['tick {n}'], { every: '200ms' });
    await cluster.client.create('Deployment', workload('Deployment', 'ticker', ns));
    const run = await kubedog(['follow', 'deployment/ticker', '-n', ns], {
      onStdout: (text, child) => {
        if (/tick 5\b/.test(text)) child.kill('SIGINT');
      },
    });
    assert.equal(run.code, 0, run.stderr);
    const ticks = [...run.stdout.matchAll(/tick (\d+)/g)].map((m) => Number(m[1]));
    assert.deepEqual(ticks.slice(0, 5), [1, 2, 3, 4, 5], run.stdout);
  });

  test('wait --for=delete: the finalizer is named until it is removed, then exit 0', async () => {
    const ns = await namespace(cluster.client, 'cli-wait-finalizer');
    await cluster.client.create('ConfigMap', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: ns, finalizers: ['example.com/backup'] },
    });
    const ref = { name: 'settings', namespace: ns };
    let deleted = false;
    let released = false;
    const run = await kubedog(['wait', '--for=delete', 'configmap/settings', '-n', ns], {
      onStderr: (text) => {
        if (!deleted && text.includes('is not being deleted')) {
          deleted = true;
          void cluster.client.delete('ConfigMap', ref);
        }
        if (!released && text.includes('waiting for its finalizer: example.com/backup')) {
          released = true;
          void cluster.client.patch('ConfigMap', ref, { metadata: { finalizers: null } });
        }
      },
    });
    assert.equal(run.code, 0, run.stderr);
    assert.ok(released, run.stderr);
    assert.match(run.stderr, /^configmap\/settings - configmap "settings" was deleted$/m);
    assert.match(run.stderr, /^✓ configmap\/settings is gone/m);
  });

  test('wait --for=delete of a Deployment deleted in the foreground: its dependents go first, then it', async () => {
    const ns = await namespace(cluster.client, 'cli-wait-foreground');
    await cluster.client.create('Deployment', workload('Deployment', 'web', ns, { spec: { replicas: 2 } }));
    const ready = await kubedog(['wait', '--for=ready', 'deploy/web', '-n', ns, '--timeout', '60s']);
    assert.equal(ready.code, 0, ready.stderr);
    let deleted = false;
    const run = await kubedog(['wait', '--for=delete', 'deploy/web', '-n', ns, '--timeout', '60s'], {
      onStderr: (text) => {
        if (deleted || !text.includes('is not being deleted')) return;
        deleted = true;
        void cluster.client.delete(
          'Deployment',
          { name: 'web', namespace: ns },
          { propagationPolicy: 'Foreground' },
        );
      },
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /deleting its dependents first \(foreground deletion\)/);
    assert.match(run.stderr, /^✓ deploy\/web is gone/m);
  });

  test('--interactive in a terminal (tmux): the crash-looping pod, its events and logs; on leaving, the report and exit 1', async () => {
    const ns = await namespace(cluster.client, 'cli-interactive');
    cluster.nodes
      .pod(`${ns}/api-*`)
      .container('app')
      .crashLoops({ logs: ['loading config', 'panic: missing DATABASE_URL'] });
    await cluster.client.create('Deployment', workload('Deployment', 'api', ns));
    // Two crashes allowed: the verdict waits out the kubelet's first back-off, so the view has the
    // BackOff Warning and the crashed instances' lines to show (at the default allowance it can come
    // before the kubelet has written them).
    const tty = await terminal(
      `${process.execPath} ${CLI} rollout track deploy/api -n ${ns} --kubeconfig ${cluster.plane.kubeconfigPath} --interactive --failures-allowed-per-replica 2`,
    );
    try {
      await tty.until(/✗ deploy\/api failed after [\d.]+s: \S+ · q: leave/, 90_000);
      // The failed Deployment opened itself: its pod is the row below it.
      await tty.keys('j', 'j');
      await tty.until(
        (text) =>
          /Events · deploy\/api › pod api-\S+/.test(text) &&
          /Warning BackOff Pod\/api-/.test(text) &&
          logLines(text).some((line) => /panic: missing DATABASE_URL$/.test(line)),
      );
      await tty.keys('q');
      const screen = await tty.until(/exit=\d+\n-?icanon/);
      assert.match(screen, /│ panic: missing DATABASE_URL/);
      assert.match(screen, /✗ deploy\/api failed after [\d.]+s: \S+\nexit=1\nicanon/);
      assert.equal(await tty.modes(), '0 1');
    } finally {
      await tty.close();
    }
  });
});
