import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runCli } from '../../test/cli/helpers.js';
import { runCommand } from '../../test/helpers.js';
import { helmBinary, namespace, useCluster } from './helpers.js';

/** A chart: a Deployment whose image is a value, and a pre-upgrade migration Job deleted once it succeeds. */
function writeChart(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubedog-chart-'));
  mkdirSync(join(dir, 'templates'));
  writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: shop\nversion: 0.1.0\n');
  writeFileSync(join(dir, 'values.yaml'), 'image: registry.local/web:v1\n');
  writeFileSync(
    join(dir, 'templates', 'web.yaml'),
    `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 5
      containers: [{name: app, image: "{{ .Values.image }}"}]
`,
  );
  writeFileSync(
    join(dir, 'templates', 'migrate.yaml'),
    `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations:
    helm.sh/hook: pre-upgrade
    helm.sh/hook-weight: "-5"
    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers: [{name: migrate, image: "{{ .Values.image }}"}]
`,
  );
  return dir;
}

/** Helm 3 (the real CLI, pinned in e2e/helm/go.mod), with its own home; `output` is stdout and stderr. */
async function helm(args: string[], kubeconfig: string): Promise<{ code: number | null; output: string }> {
  const home = mkdtempSync(join(tmpdir(), 'kubedog-helm-home-'));
  const env = { ...process.env, HELM_CACHE_HOME: home, HELM_CONFIG_HOME: home, HELM_DATA_HOME: home };
  const run = await runCommand(helmBinary(), [...args, '--kubeconfig', kubeconfig], { env });
  return { code: run.code, output: run.stdout + run.stderr };
}

describe('kubedog beside the real helm, against a real control plane', () => {
  const cluster = useCluster();
  const chart = writeChart();

  /** kubedog started first, then `helm upgrade` once kubedog says it waits for the revision. */
  async function upgradeWhileTracking(ns: string, image: string) {
    const kubeconfig = cluster.plane.kubeconfigPath;
    let upgrade: ReturnType<typeof helm> | undefined;
    const track = await runCli(
      [
        'rollout',
        'track',
        '--helm-release',
        'shop',
        '--helm-revision',
        'next',
        '-n',
        ns,
        '--timeout',
        '60s',
        '--kubeconfig',
        kubeconfig,
      ],
      {
        timeoutMs: 90_000,
        onStderr: (stderr) => {
          if (upgrade || !stderr.includes('waiting for Helm to write revision 2')) return;
          upgrade = helm(
            ['upgrade', 'shop', chart, '-n', ns, '--set', `image=${image}`, '--timeout', '60s'],
            kubeconfig,
          );
        },
      },
    );
    return {
      track,
      helm: await (upgrade ?? Promise.reject(new Error(`kubedog never waited: ${track.stderr}`))),
    };
  }

  test('a pre-upgrade migration: its logs, the Deployment judged once Helm applied it, exit 0', async () => {
    const ns = await namespace(cluster.client, 'helm-upgrade');
    cluster.nodes
      .pod(`${ns}/migrate-*`)
      .container('migrate')
      .exits(0, { after: '500ms', logs: ['applied 3 migrations'] });
    const install = await helm(
      ['install', 'shop', chart, '-n', ns, '--wait', '--timeout', '60s'],
      cluster.plane.kubeconfigPath,
    );
    assert.equal(install.code, 0, install.output);
    const { track, helm: upgrade } = await upgradeWhileTracking(ns, 'registry.local/web:v2');
    assert.equal(upgrade.code, 0, upgrade.output);
    assert.equal(track.code, 0, track.stderr);
    assert.match(track.stdout, /applied 3 migrations/);
    assert.match(
      track.stderr,
      /^helm\/shop:v2 ! Helm release "shop" revision 2 \(upgrade, pending-upgrade\); hooks: pre-upgrade job\/migrate$/m,
    );
    assert.match(track.stderr, /^deploy\/web • waiting for Helm to apply the new revision/m);
    assert.match(track.stderr, /^✓ 3 of 3 resources ready after /m);
    // Helm deleted the hook once it succeeded.
    assert.deepEqual((await cluster.client.list('Job', { namespace: ns })).items, []);
  });

  test('a failing migration: helm fails, kubedog exits 1 with the migration’s last lines', async () => {
    const ns = await namespace(cluster.client, 'helm-failing');
    cluster.nodes
      .pod(`${ns}/migrate-*`)
      .container('migrate')
      .exits(1, {
        after: '500ms',
        logs: ['applying 3 migrations', 'error: relation "users" already exists'],
      });
    const install = await helm(['install', 'shop', chart, '-n', ns], cluster.plane.kubeconfigPath);
    assert.equal(install.code, 0, install.output);
    const { track, helm: upgrade } = await upgradeWhileTracking(ns, 'registry.local/web:v3');
    assert.notEqual(upgrade.code, 0, upgrade.output);
    assert.match(upgrade.output, /pre-upgrade hooks failed/);
    assert.equal(track.code, 1, track.stderr);
    assert.match(track.stderr, /^✗ job\/migrate: /m);
    assert.match(track.stderr, /│ error: relation "users" already exists$/m);
  });
});
