import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { stringify } from 'yaml';
import type { KubeObject } from '../../src/kube/types.js';
import { startFakeCluster } from '../../src/testing/cluster.js';
import { deployment, helmReleaseSecret, runCli } from './helpers.js';

const service = (name: string, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default', labels },
  spec: { ports: [{ port: 80 }] },
});
const configMap = (name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default' },
  data: { key: 'value' },
});

const tracked = (stderr: string) => [...stderr.matchAll(/^(\S+) ✓ ready: /gm)].map((m) => m[1]).sort();

describe('what rollout track tracks', { concurrency: 3 }, () => {
  test('-f: a multi-document file, a directory, and stdin; ConfigMaps are skipped, duplicates tracked once', async () => {
    await using cluster = await startFakeCluster();
    const objects = [deployment('web', { replicas: 1 }), service('web'), configMap('settings')];
    for (const object of objects) await cluster.client.create(object.kind ?? '', object);
    const dir = mkdtempSync(join(tmpdir(), 'kubedog-manifests-'));
    const file = join(dir, 'app.yaml');
    writeFileSync(file, objects.map((o) => stringify(o)).join('---\n'));
    mkdirSync(join(dir, 'k8s'));
    writeFileSync(join(dir, 'k8s', 'a-web.yaml'), stringify(objects[0]));
    writeFileSync(join(dir, 'k8s', 'b-svc.json'), JSON.stringify(objects[1]));
    writeFileSync(join(dir, 'k8s', 'README.md'), '# not a manifest');
    const kubeconfig = ['--kubeconfig', cluster.kubeconfigPath];
    const fromFile = await runCli(['rollout', 'track', '-f', file, ...kubeconfig]);
    assert.equal(fromFile.code, 0, fromFile.stderr);
    assert.deepEqual(tracked(fromFile.stderr), ['deploy/web', 'svc/web']);
    assert.match(fromFile.stderr, /^✓ 2 of 2 resources ready after/m);
    const fromDir = await runCli(['rollout', 'track', '-f', join(dir, 'k8s'), '-f', file, ...kubeconfig]);
    assert.equal(fromDir.code, 0, fromDir.stderr);
    assert.deepEqual(tracked(fromDir.stderr), ['deploy/web', 'svc/web']);
    const fromStdin = await runCli(['rollout', 'track', '-f', '-', ...kubeconfig], {
      input: stringify({ apiVersion: 'v1', kind: 'List', items: [objects[1]] }),
    });
    assert.equal(fromStdin.code, 0, fromStdin.stderr);
    assert.deepEqual(tracked(fromStdin.stderr), ['svc/web']);
  });

  test('-l, --all and -A pick trackable resources from the cluster', async () => {
    await using cluster = await startFakeCluster({ namespaces: ['default', 'shop'] });
    await cluster.client.create(
      'Deployment',
      deployment('web', { replicas: 1, labels: { release: 'shop' } }),
    );
    await cluster.client.create('Service', service('web', { release: 'shop' }));
    await cluster.client.create('Service', service('other'));
    await cluster.client.create('Service', {
      ...service('cart', { release: 'shop' }),
      metadata: { name: 'cart', namespace: 'shop', labels: { release: 'shop' } },
    });
    const kubeconfig = ['--kubeconfig', cluster.kubeconfigPath];
    const selected = await runCli(['rollout', 'track', '-l', 'release=shop', ...kubeconfig]);
    assert.equal(selected.code, 0, selected.stderr);
    assert.deepEqual(tracked(selected.stderr), ['deploy/web', 'svc/web']);
    const all = await runCli(['rollout', 'track', '--all', ...kubeconfig]);
    assert.equal(all.code, 0, all.stderr);
    assert.ok(tracked(all.stderr).includes('svc/other'));
    const everywhere = await runCli(['rollout', 'track', '-l', 'release=shop', '-A', ...kubeconfig]);
    assert.equal(everywhere.code, 0, everywhere.stderr);
    assert.deepEqual(tracked(everywhere.stderr), ['default/deploy/web', 'default/svc/web', 'shop/svc/cart']);
    const none = await runCli(['rollout', 'track', '-l', 'release=nothing', ...kubeconfig]);
    assert.equal(none.code, 64);
    assert.match(
      none.stderr,
      /^kubedog: no trackable resources in namespace "default" match -l release=nothing$/m,
    );
  });

  test('-n a,b: the named resources and -l in each namespace; --field-selector narrows -l', async () => {
    await using cluster = await startFakeCluster({ namespaces: ['default', 'shop', 'staging'] });
    for (const namespace of ['shop', 'staging'])
      for (const name of ['web', 'api'])
        await cluster.client.create('Service', {
          ...service(name, { app: 'shop' }),
          metadata: { name, namespace, labels: { app: 'shop' } },
        });
    const kubeconfig = ['--kubeconfig', cluster.kubeconfigPath];
    const named = await runCli(['rollout', 'track', 'svc/web', '-n', 'shop,staging', ...kubeconfig]);
    assert.equal(named.code, 0, named.stderr);
    assert.deepEqual(tracked(named.stderr), ['shop/svc/web', 'staging/svc/web']);
    const selected = await runCli([
      'rollout',
      'track',
      '-l',
      'app=shop',
      '--field-selector',
      'metadata.name=api',
      '-n',
      'shop,staging',
      ...kubeconfig,
    ]);
    assert.equal(selected.code, 0, selected.stderr);
    assert.deepEqual(tracked(selected.stderr), ['shop/svc/api', 'staging/svc/api']);
    const alone = await runCli(['rollout', 'track', 'svc/web', '--field-selector', 'metadata.name=api']);
    assert.equal(alone.code, 64);
    assert.match(alone.stderr, /--field-selector works with -l or --all/);
  });

  test('--helm-release: the newest revision’s manifest, with kubedog.io annotations', async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('worker-*', 'app', { pullFails: true });
    const web = deployment('web', { replicas: 1 });
    const worker = deployment('worker', { replicas: 1 });
    worker.metadata.annotations = { 'kubedog.io/fail-mode': 'ignore' };
    for (const object of [web, worker]) await cluster.client.create('Deployment', object);
    const release = (version: number, objects: KubeObject[]) =>
      helmReleaseSecret('shop', 'default', version, objects);
    await cluster.client.create('Secret', release(1, [web]));
    await cluster.client.create('Secret', release(2, [web, worker, configMap('settings')]));
    const run = await runCli([
      'rollout',
      'track',
      '--helm-release',
      'shop',
      '--kubeconfig',
      cluster.kubeconfigPath,
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stderr,
      /^✓ 2 of 3 resources ready after .*; failed, ignored \(fail-mode ignore\): deploy\/worker$/m,
    );
    const missing = await runCli([
      'rollout',
      'track',
      '--helm-release',
      'nope',
      '--kubeconfig',
      cluster.kubeconfigPath,
    ]);
    assert.equal(missing.code, 64);
    assert.match(
      missing.stderr,
      /^kubedog: no Helm release "nope" in namespace "default" \(no Secret sh\.helm\.release\.v1\.nope\.vN\); to wait for its install: --helm-revision next$/m,
    );
  });
});
