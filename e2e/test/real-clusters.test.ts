import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { stringify } from 'yaml';
import type { ResourceType } from '../../src/kube/resources.js';
import type { KubeObject } from '../../src/kube/types.js';
import { runCli } from '../../test/cli/helpers.js';
import { storefrontCrd, storefrontManifest } from '../../test/helpers.js';
import { namespace, useCluster, workload } from './helpers.js';

/**
 * A deploy ServiceAccount as locked-down CI namespaces have it: it may read
 * and change Deployments and read pods, and nothing else — no Events, no
 * ReplicaSets, no logs.
 */
const DEPLOYER_RULES = [
  {
    apiGroups: ['apps'],
    resources: ['deployments'],
    verbs: ['get', 'list', 'watch', 'create', 'update', 'patch'],
  },
  { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
];

const tmp = () => mkdtempSync(join(tmpdir(), 'kubedog-e2e-'));

describe('real clusters as CI meets them, on a real control plane', () => {
  const cluster = useCluster();

  /** A kubeconfig with a token of ServiceAccount `deployer` of `ns`, bound to {@link DEPLOYER_RULES} by a Role. */
  async function deployerKubeconfig(ns: string): Promise<string> {
    const { client, plane } = cluster;
    const meta = { name: 'deployer', namespace: ns };
    await client.create('ServiceAccount', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta });
    const rbac = 'rbac.authorization.k8s.io/v1';
    await client.create('Role', { apiVersion: rbac, kind: 'Role', metadata: meta, rules: DEPLOYER_RULES });
    await client.create('RoleBinding', {
      apiVersion: rbac,
      kind: 'RoleBinding',
      metadata: meta,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'deployer' },
      subjects: [{ kind: 'ServiceAccount', name: 'deployer', namespace: ns }],
    });
    const request = await client.requestJson<{ status: { token: string } }>(
      'POST',
      `/api/v1/namespaces/${ns}/serviceaccounts/deployer/token`,
      {
        body: {
          apiVersion: 'authentication.k8s.io/v1',
          kind: 'TokenRequest',
          spec: { expirationSeconds: 3600 },
        },
      },
    );
    const path = join(tmp(), 'deployer');
    const config = {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'e2e', cluster: { server: plane.server, 'certificate-authority': plane.caFile } }],
      users: [{ name: 'deployer', user: { token: request.status.token } }],
      contexts: [{ name: 'deployer', context: { cluster: 'e2e', user: 'deployer', namespace: ns } }],
      'current-context': 'deployer',
    };
    writeFileSync(path, stringify(config), { mode: 0o600 });
    return path;
  }

  test('a ServiceAccount without Events, ReplicaSets or logs: a ready rollout exits 0, naming what it could not read', async () => {
    const ns = await namespace(cluster.client, 'rbac-ready');
    const kubeconfig = await deployerKubeconfig(ns);
    await cluster.client.create('Deployment', workload('Deployment', 'web', ns, { spec: { replicas: 2 } }));
    const run = await runCli(
      ['rollout', 'track', 'deploy/web', '--timeout', '60s', '--kubeconfig', kubeconfig],
      {
        timeoutMs: 90_000,
      },
    );
    assert.equal(run.code, 0, run.stderr);
    for (const read of ['events', 'replicasets'])
      assert.match(
        run.stderr,
        new RegExp(`may not read ${read} \\(403 Forbidden\\).*in a Role of namespace "${ns}"`),
      );
    assert.match(run.stderr, /its ReplicaSets may not be read\)/);
    assert.match(run.stderr, /^✓ deploy\/web ready after .* \(without access to events, replicasets/m);
  });

  test('the same ServiceAccount: a crash-looping rollout exits 1, judged from the pods’ statuses', async () => {
    const ns = await namespace(cluster.client, 'rbac-crash');
    const kubeconfig = await deployerKubeconfig(ns);
    cluster.nodes
      .pod(`${ns}/api-*`)
      .container('app')
      .crashLoops({ logs: ['panic: missing DATABASE_URL'] });
    await cluster.client.create('Deployment', workload('Deployment', 'api', ns));
    const run = await runCli(
      ['rollout', 'track', 'deploy/api', '--timeout', '60s', '--kubeconfig', kubeconfig],
      {
        timeoutMs: 90_000,
      },
    );
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /may not read events \(403 Forbidden\)/);
    assert.match(run.stderr, /^✗ deploy\/api: .*(CrashLoopBackOff|crash|restarted)/m);
    assert.match(run.stderr, /without access to .*events/);
  });

  test('the tracked resource itself refused: exit 3, one line with the rule to add', async () => {
    const ns = await namespace(cluster.client, 'rbac-denied');
    const kubeconfig = await deployerKubeconfig(ns);
    const run = await runCli(['rollout', 'track', 'statefulset/db', '--kubeconfig', kubeconfig], {
      timeoutMs: 30_000,
    });
    assert.equal(run.code, 3, run.stderr);
    assert.match(
      run.stderr,
      /^kubedog: .*forbidden.*; to allow it, add the rule \{apiGroups: \["apps"\], resources: \["statefulsets"\], verbs: \["list", "watch"\]\}/m,
    );
  });

  test('a CRD and a resource of its kind from one manifest, applied after the track started: waited for, then tracked', async () => {
    const ns = await namespace(cluster.client, 'crd-mid-run');
    const crd = storefrontCrd();
    const storefront = storefrontManifest(ns);
    const manifest = join(tmp(), 'app.yaml');
    writeFileSync(manifest, [crd, storefront].map((o) => stringify(o)).join('---\n'));
    let applying: Promise<void> | undefined;
    const run = await runCli(
      [
        'rollout',
        'track',
        '-f',
        manifest,
        '-n',
        ns,
        '--timeout',
        '60s',
        '--kubeconfig',
        cluster.plane.kubeconfigPath,
      ],
      {
        timeoutMs: 90_000,
        onStderr: (text) => {
          if (applying || !text.includes('does not serve kind "Storefront.shop.example.com" yet')) return;
          applying = applyThenReport(crd, storefront, ns);
        },
      },
    );
    await applying;
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /its CustomResourceDefinition may be applied in this run/);
    assert.match(run.stderr, /✓ ready: storefront "main": Ready/);
  });

  /** `kubectl apply -f app.yaml`, then the operator: the CRD, the resource once served, its status a second later. */
  async function applyThenReport(crd: KubeObject, storefront: KubeObject, ns: string): Promise<void> {
    const { client } = cluster;
    await client.create('CustomResourceDefinition', crd);
    let type: ResourceType | undefined;
    for (let attempt = 0; !type; attempt++) {
      // Discovery asked afresh each time: the kind is served once the CRD is established.
      type = await client.resolveType('Storefront.shop.example.com', { fresh: true }).catch((error) => {
        if (attempt > 100) throw error;
        return undefined;
      });
      if (!type) await new Promise((r) => setTimeout(r, 200));
    }
    await client.create(type, storefront);
    await new Promise((r) => setTimeout(r, 1000));
    await client.patch(
      type,
      { name: 'main', namespace: ns },
      { status: { conditions: [{ type: 'Ready', status: 'True', reason: 'Serving', message: 'serving' }] } },
      { subresource: 'status' },
    );
  }
});
