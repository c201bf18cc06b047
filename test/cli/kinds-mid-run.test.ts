import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { stringify } from 'yaml';
import type { ResourceType } from '../../src/kube/resources.js';
import { startFakeCluster } from '../../src/testing/cluster.js';
import { storefrontCrd, storefrontManifest } from '../helpers.js';
import { runCli } from './helpers.js';

const STOREFRONT: ResourceType = {
  kind: 'Storefront',
  group: 'shop.example.com',
  version: 'v1',
  plural: 'storefronts',
  namespaced: true,
};

const crd = storefrontCrd();
const storefront = storefrontManifest();

/** `app.yaml`: the CRD and a resource of its kind, as a chart applies them in one run. */
function appManifest(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubedog-crd-'));
  const path = join(dir, 'app.yaml');
  writeFileSync(path, [crd, storefront].map((o) => stringify(o)).join('---\n'));
  return path;
}

describe('a kind that arrives mid-run', () => {
  test('-f names a kind whose CRD is applied after the track started: waited for, then tracked to ready', async () => {
    await using cluster = await startFakeCluster();
    let applied = false;
    let reported = false;
    const args = ['rollout', 'track', '-f', appManifest(), '--timeout', '30s'];
    const run = await runCli([...args, '--kubeconfig', cluster.kubeconfigPath], {
      onStderr: (text) => {
        // kubectl apply -f app.yaml, once the track waits for the kind…
        if (!applied && text.includes('does not serve kind "Storefront.shop.example.com" yet')) {
          applied = true;
          void cluster.apply([crd, storefront]);
        }
        // …and its operator reports once the track waits for it.
        if (!reported && text.includes('waiting for its controller to report a status')) {
          reported = true;
          cluster.store.replaceStatus(STOREFRONT, 'default', 'main', {
            conditions: [{ type: 'Ready', status: 'True', reason: 'Serving', message: 'serving' }],
          });
        }
      },
    });
    assert.equal(run.code, 0, run.stderr);
    assert.ok(applied, run.stderr);
    assert.match(run.stderr, /its CustomResourceDefinition may be applied in this run/);
    // Not ready before its controller spoke: the status it reported is what made it ready.
    assert.match(run.stderr, /storefront "main": waiting for its controller to report a status/);
    assert.match(run.stderr, /✓ ready: storefront "main": Ready/);
    assert.match(run.stderr, /^✓ 2 of 2 resources ready after/m);
  });

  test('a custom resource created just now whose controller reports Failed a second later: failed (exit 1), never ready first', async () => {
    await using cluster = await startFakeCluster();
    await cluster.apply([crd, storefront]);
    let reported = false;
    const args = ['rollout', 'track', 'storefront.shop.example.com/main', '--timeout', '20s'];
    const run = await runCli([...args, '--kubeconfig', cluster.kubeconfigPath], {
      // Its controller reports once the track waits for it.
      onStderr: (text) => {
        if (reported || !text.includes('waiting for its controller to report a status')) return;
        reported = true;
        cluster.store.replaceStatus(STOREFRONT, 'default', 'main', {
          conditions: [
            { type: 'Ready', status: 'False', reason: 'Failed', message: 'theme "dark" not found' },
          ],
        });
      },
    });
    assert.equal(run.code, 1, run.stderr);
    assert.doesNotMatch(run.stderr, /✓ ready/);
    assert.match(
      run.stderr,
      /^✗ storefront\/main: storefront "main": Ready is False: Failed: theme "dark" not found$/m,
    );
  });

  test('a kind that never comes: the deadline ends the wait, saying the server never served it (exit 2)', async () => {
    await using cluster = await startFakeCluster();
    const path = appManifest();
    writeFileSync(path, stringify(storefront));
    const started = Date.now();
    const run = await runCli([
      'rollout',
      'track',
      '-f',
      path,
      '--timeout',
      '2s',
      '--kubeconfig',
      cluster.kubeconfigPath,
    ]);
    assert.equal(run.code, 2, run.stderr);
    assert.ok(Date.now() - started < 10_000);
    assert.match(
      run.stderr,
      /Timeout: not ready after 2s: the API server never served kind "Storefront\.shop\.example\.com"/,
    );
    assert.match(
      run.stderr,
      /hint: was its CustomResourceDefinition applied\? \(kubectl get crd \| grep shop\.example\.com\)/,
    );
  });

  test('a kind typed on the command line still fails at once (exit 64): a typo must not wait', async () => {
    await using cluster = await startFakeCluster();
    const started = Date.now();
    const run = await runCli([
      'rollout',
      'track',
      'storefront.shop.example.com/main',
      '--timeout',
      '1m',
      '--kubeconfig',
      cluster.kubeconfigPath,
    ]);
    assert.equal(run.code, 64, run.stderr);
    assert.ok(Date.now() - started < 5000);
    assert.match(run.stderr, /does not have a resource type "storefront\.shop\.example\.com"/);
  });
});
